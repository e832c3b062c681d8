package io.gravwell.datastore.client.store;

import io.gravwell.datastore.protocol.v1.ObjectKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * A webserver's local copy of the datastore, plus the bookkeeping the sync agent needs (dirty flags,
 * synced revisions, the checkpoint). The local copy is the last line of defense against a datastore that
 * lost its data, so implementations must make committed writes durable.
 *
 * <p>A unit of work may run more than once (an engine may retry a transaction that met a concurrent
 * writer), so it must not have side effects outside the transaction.
 */
public interface LocalStore extends AutoCloseable {

  <T> T read(Function<? super LocalReader, T> work);

  /** Runs {@code work} in one atomic write transaction; an exception aborts it. */
  <T> T write(Function<? super LocalWriter, T> work);

  @Override
  void close();

  // ---- one-transaction conveniences ---------------------------------------------------------------

  default Optional<LocalObject> get(ObjectKey key) {
    return read(r -> r.get(key));
  }

  /** Every object of (domain, kind), local tombstones included; kind empty = every kind. */
  default List<LocalObject> list(String domain, String kind) {
    return read(r -> {
      List<LocalObject> all = new ArrayList<>();
      r.scan(domain, kind, null, all::add);
      return all;
    });
  }

  default List<LocalObject> dirty(int limit) {
    return read(r -> r.dirty(null, limit));
  }

  default void upsert(LocalObject object) {
    write(w -> {
      w.upsert(object);
      return null;
    });
  }

  default void remove(ObjectKey key) {
    write(w -> {
      w.remove(key);
      return null;
    });
  }

  /**
   * Removes the objects that are still exactly as {@code seen} in an earlier read, in one transaction; returns
   * how many. Whatever changed since (a local edit, a newer sync) is kept.
   */
  default int removeUnchanged(List<LocalObject> seen) {
    if (seen.isEmpty()) {
      return 0;
    }
    return write(w -> {
      int n = 0;
      for (LocalObject o : seen) {
        Optional<LocalObject> now = w.get(o.key());
        if (now.isPresent() && now.get().equals(o)) {
          w.remove(o.key());
          n++;
        }
      }
      return n;
    });
  }

  default long syncedCount() {
    return read(LocalReader::syncedCount);
  }

  default long dirtyCount() {
    return read(LocalReader::dirtyCount);
  }

  default Optional<SyncCheckpoint> checkpoint() {
    return read(LocalReader::checkpoint);
  }

  default void writeCheckpoint(SyncCheckpoint checkpoint) {
    write(w -> {
      w.writeCheckpoint(checkpoint);
      return null;
    });
  }
}
