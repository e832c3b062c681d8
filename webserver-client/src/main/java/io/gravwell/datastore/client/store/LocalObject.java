package io.gravwell.datastore.client.store;

import io.gravwell.datastore.protocol.v1.ObjectKey;
import io.gravwell.datastore.protocol.v1.StoredObject;
import java.util.Objects;

/**
 * A webserver's copy of one object, with what the sync agent needs to know about it.
 *
 * @param object the object as this webserver knows it: payload, ACL, the writer's (updated_ms, origin) and,
 *     once synced, the datastore's create_rev/mod_rev. {@code object.deleted} marks a local tombstone: the
 *     object was deleted here and the delete has not been acknowledged yet (a tombstone is always dirty).
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
    if (object.getDeleted() && !dirty) {
      throw new IllegalArgumentException("a local tombstone is always dirty: " + object.getKey());
    }
  }

  /** A local change (put or delete) waiting to be pushed; keeps the revision it was last synced at. */
  public static LocalObject dirty(StoredObject object, long syncedRevision) {
    return new LocalObject(object, syncedRevision, true);
  }

  /** A version the datastore holds at {@code object.mod_rev}. */
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
}
