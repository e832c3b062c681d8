package io.gravwell.datastore.client.sync;

import io.gravwell.datastore.protocol.v1.StoredObject;

/** What the app may want to hear from the sync agent; called on the sync thread, so keep it short. */
public interface SyncListener {

  SyncListener NONE = new SyncListener() {};

  /**
   * A local change lost the last-writer-wins rule and was replaced by {@code winner} (a tombstone if the
   * object was deleted elsewhere later).
   */
  default void onConflictLost(StoredObject localChange, StoredObject winner) {}

  default void onReseed(Reseed reseed) {}

  default void onAvailabilityChanged(boolean available) {}
}
