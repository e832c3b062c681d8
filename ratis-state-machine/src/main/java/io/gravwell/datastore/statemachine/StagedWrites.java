package io.gravwell.datastore.statemachine;

import io.gravwell.datastore.protocol.v1.ObjectKey;
import io.gravwell.datastore.protocol.v1.StoredObject;
import java.util.ArrayList;
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

  StagedWrites(StoreReader base) {
    this.base = base;
  }

  Optional<StoredObject> get(ObjectKey key) {
    StoredObject staged = pending.get(key);
    return staged != null ? Optional.of(staged) : base.get(key);
  }

  /** What the store held before this batch. */
  Optional<StoredObject> committed(ObjectKey key) {
    return base.get(key);
  }

  void put(StoredObject object) {
    pending.put(object.getKey(), object);
  }

  /** Writes every staged object to the store and returns them in first-write order. */
  List<StoredObject> flushTo(StoreWriter writer) {
    List<StoredObject> written = new ArrayList<>(pending.values());
    written.forEach(writer::put);
    pending.clear();
    return written;
  }
}
