package io.gravwell.datastore.client.store;

import io.gravwell.datastore.protocol.v1.ObjectKey;

/** Write access inside one local-store transaction; indexes (dirty, synced) follow every call. */
public interface LocalWriter extends LocalReader {

  /** Stores {@code object} under its key, replacing what was there. */
  void upsert(LocalObject object);

  /** Forgets the object (and its local tombstone, if any); absent keys are ignored. */
  void remove(ObjectKey key);

  void writeCheckpoint(SyncCheckpoint checkpoint);
}
