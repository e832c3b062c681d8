package io.gravwell.datastore.client.store;

import io.gravwell.datastore.protocol.v1.ObjectKey;
import io.gravwell.datastore.protocol.v1.StoredObject;
import java.util.Objects;

/**
 * A webserver's copy of one object, with what the sync agent needs to know about it.
 *
 * @param object the object as this webserver knows it: payload, ACL, the writer's (updated_ms, origin) and,
 *     once synced, the datastore's create_rev/mod_rev. {@code object.deleted} marks a tombstone. A dirty
 *     one is a local delete the datastore has not acknowledged yet. A clean one is a <em>remembered
 *     delete</em>: acknowledged or pulled at {@code syncedRevision}, and kept for the tombstone retention
 *     ({@link io.gravwell.datastore.client.sync.SyncSettings#tombstoneRetention()}) so that a re-seed pushes it
 *     again. Without it, a datastore that lost every disk got a deleted object back from any webserver
 *     that had not pulled the delete yet.
 * @param syncedRevision the datastore's mod_rev when this object was last acknowledged or pulled; 0 = never
 *     synced. Only synced objects can be "missing upstream", which is why the identity check counts them.
 * @param dirty a local change the datastore has not acknowledged yet; the next push sends it
 */
public record LocalObject(StoredObject object, long syncedRevision, boolean dirty) {

  public LocalObject {
    Objects.requireNonNull(object, "object");
    if (syncedRevision < 0) {
      throw new IllegalArgumentException("syncedRevision must not be negative: " + syncedRevision);
    }
    if (object.getDeleted() && !dirty && syncedRevision == 0) {
      throw new IllegalArgumentException("a remembered delete must have been synced: " + object.getKey());
    }
  }

  /** A local change (put or delete) waiting to be pushed; keeps the revision it was last synced at. */
  public static LocalObject dirty(StoredObject object, long syncedRevision) {
    return new LocalObject(object, syncedRevision, true);
  }

  /** A version the datastore holds at {@code object.mod_rev}; a tombstone becomes a remembered delete. */
  public static LocalObject synced(StoredObject object) {
    return new LocalObject(object, object.getModRev(), false);
  }

  public ObjectKey key() {
    return object.getKey();
  }

  public boolean tombstone() {
    return object.getDeleted();
  }

  public boolean everSynced() {
    return syncedRevision > 0;
  }

  /** A delete the datastore has acknowledged, kept only so that a re-seed can push it again. */
  public boolean rememberedDelete() {
    return tombstone() && !dirty;
  }

  /**
   * Counts as data the datastore once held: synced at least once and not a remembered delete. The identity
   * check weighs an empty datastore against these; a webserver whose objects were all deleted holds none.
   */
  public boolean holdsSyncedData() {
    return everSynced() && !rememberedDelete();
  }
}
