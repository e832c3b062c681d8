package io.gravwell.datastore.client.store;

import io.gravwell.datastore.protocol.v1.ObjectKey;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/** Read access inside one local-store transaction (a consistent view). */
public interface LocalReader {

  Optional<LocalObject> get(ObjectKey key);

  /**
   * Objects (local tombstones included) of {@code domain}, restricted to {@code kind} unless it is empty,
   * in key order, starting after {@code after} (or at the beginning if null), until the visitor returns
   * false. Paging with {@code after} keeps big stores out of the heap.
   */
  void scan(String domain, String kind, ObjectKey after, Predicate<LocalObject> visitor);

  /** Up to {@code limit} dirty objects (puts and local tombstones) after {@code after}, in key order. */
  default List<LocalObject> dirty(ObjectKey after, int limit) {
    return dirty(after, limit, Long.MAX_VALUE);
  }

  /**
   * As {@link #dirty(ObjectKey, int)}, but the page also stops before its stored records would exceed
   * {@code maxBytes} (the first record is always taken): with content chunks of half a MiB, a count
   * alone would let one page hold hundreds of MiB.
   */
  List<LocalObject> dirty(ObjectKey after, int limit, long maxBytes);

  long dirtyCount();

  /** Every stored object, local tombstones included. */
  long count();

  /**
   * Objects that were synced at least once (syncedRevision > 0), dirty or not, except remembered deletes
   * ({@link LocalObject#holdsSyncedData()}).
   */
  long syncedCount();

  Optional<SyncCheckpoint> checkpoint();
}
