package io.gravwell.datastore.statemachine;

import io.gravwell.datastore.protocol.v1.ObjectKey;
import io.gravwell.datastore.protocol.v1.StoredObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The writes of one batch, held in front of the store until the batch's fate is known: mutations see
 * their predecessors' effects, and an aborted atomic batch is dropped without touching the store.
 */
final class StagedWrites {

  private final StoreReader base;
  private final Map<ObjectKey, StoredObject> pending = new LinkedHashMap<>();
  /** What the store held, as read by this batch; the flush hands it over instead of the store reading it again. */
  private final Map<ObjectKey, Optional<StoredObject>> committedRead = new HashMap<>();

  StagedWrites(StoreReader base) {
    this.base = base;
  }

  Optional<StoredObject> get(ObjectKey key) {
    StoredObject staged = pending.get(key);
    return staged != null ? Optional.of(staged) : committed(key);
  }

  /** What the store held before this batch. */
  Optional<StoredObject> committed(ObjectKey key) {
    return committedRead.computeIfAbsent(key, base::get);
  }

  void put(StoredObject object) {
    pending.put(object.getKey(), object);
  }

  /** Writes every staged object to the store and returns them in first-write order. */
  List<StoredObject> flushTo(StoreWriter writer) {
    List<StoredObject> written = new ArrayList<>(pending.values());
    for (StoredObject o : written) {
      Optional<StoredObject> current = committedRead.get(o.getKey());
      if (current != null) {
        writer.replace(o, current);
      } else {
        writer.put(o);
      }
    }
    pending.clear();
    committedRead.clear();
    return written;
  }
}
