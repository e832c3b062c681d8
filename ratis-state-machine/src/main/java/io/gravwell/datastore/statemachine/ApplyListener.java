package io.gravwell.datastore.statemachine;

import io.gravwell.datastore.protocol.v1.StoredObject;
import java.util.List;

/**
 * Told about every write entry after its transaction committed, on the apply thread: keep it quick and
 * hand work off. Not called for entries skipped on replay or restored from a snapshot, so a watcher must
 * resynchronise through ChangesSince after a restart or snapshot install.
 */
@FunctionalInterface
public interface ApplyListener {

  /**
   * @param revision the entry's log index, the mod_rev of every object in {@code changes}
   * @param changes the objects and tombstones as stored; empty if nothing in the entry applied
   */
  void onApplied(long revision, List<StoredObject> changes);
}
