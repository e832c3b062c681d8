package io.gravwell.datastore.statemachine;

import io.gravwell.datastore.protocol.v1.ObjectKey;
import io.gravwell.datastore.protocol.v1.StoredObject;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Read access inside one store transaction. Scans call the visitor in order until it returns false.
 */
public interface StoreReader {

  /** The live object or tombstone stored under {@code key}. */
  Optional<StoredObject> get(ObjectKey key);

  /**
   * Objects (live and tombstones) of {@code domain}, restricted to {@code kind} unless it is empty, in
   * (kind, id) order, starting after {@code after} (or at the beginning if null).
   */
  void scanObjects(String domain, String kind, ObjectKey after, Predicate<StoredObject> visitor);

  /** Every object in key order: dumps, tests, and the (hourly) expiry scan. */
  void scanAll(Predicate<StoredObject> visitor);

  /** Objects with mod_rev > {@code afterRevision}, in (mod_rev, key) order. */
  void scanChanges(long afterRevision, Predicate<StoredObject> visitor);

  /** Tombstones with deleted_at_ms <= {@code cutoffMs}, oldest first. */
  void scanTombstones(long cutoffMs, Predicate<StoredObject> visitor);

  StoreMeta meta();

  /** The replicated member directory (client addresses by member id); empty until one is committed. */
  io.gravwell.datastore.statemachine.v1.MemberDirectory memberDirectory();

  /** Live objects plus tombstones. */
  long objectCount();

  long tombstoneCount();
}
