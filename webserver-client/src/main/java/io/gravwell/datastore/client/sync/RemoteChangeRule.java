package io.gravwell.datastore.client.sync;

import io.gravwell.datastore.client.store.LocalObject;
import io.gravwell.datastore.protocol.v1.StoredObject;
import java.util.Optional;

/**
 * What to do with one version read from the datastore (a change, a listed object, or a tombstone) given
 * the local copy. Pure; the sync cycle applies the decision in a local transaction.
 *
 * <p>A dirty local copy is ranked by last-writer-wins against the remote version, like the cluster would.
 * A clean one is replaced whenever the datastore holds a later revision of it; that comparison is only
 * meaningful within one history, so while re-seeding or on a first sync (when local mod_revs may belong to
 * another history) clean copies are ranked by last-writer-wins too.
 */
final class RemoteChangeRule {

  private RemoteChangeRule() {}

  enum Mode {
    /** The remote version comes from the history the local revisions were recorded in. */
    SAME_HISTORY,
    /** Re-seed or first sync: only (updated_ms, origin) is comparable. */
    WRITE_ORDER_ONLY
  }

  enum Action {
    /** Store the remote version as synced (a remote tombstone removes the local copy). */
    ADOPT,
    /** Keep the local copy as it is. */
    KEEP,
    /** Keep the local copy and mark it dirty: the datastore holds an older version that must be replaced. */
    REPUSH
  }

  /** @param localChangeLost a local change not yet acknowledged loses to the remote version */
  record Decision(Action action, boolean localChangeLost) {
    static final Decision ADOPT = new Decision(Action.ADOPT, false);
    static final Decision KEEP = new Decision(Action.KEEP, false);
    static final Decision REPUSH = new Decision(Action.REPUSH, false);
    static final Decision ADOPT_OVER_LOCAL_CHANGE = new Decision(Action.ADOPT, true);
  }

  static Decision decide(Optional<LocalObject> local, StoredObject remote, Mode mode) {
    if (local.isEmpty()) {
      // A tombstone for something we never had is a no-op; adopting it is removing nothing.
      return Decision.ADOPT;
    }
    LocalObject mine = local.get();
    int order = LastWriterWins.compare(remote, mine.object());
    if (mine.dirty()) {
      if (order > 0) {
        return Decision.ADOPT_OVER_LOCAL_CHANGE;
      }
      // Equal stamps: the remote version is our own write coming back; it now carries its revisions.
      return order == 0 && remote.getDeleted() == mine.tombstone() ? Decision.ADOPT : Decision.KEEP;
    }
    if (mode == Mode.SAME_HISTORY) {
      return remote.getModRev() > mine.syncedRevision() ? Decision.ADOPT : Decision.KEEP;
    }
    if (order >= 0) {
      return Decision.ADOPT;
    }
    // Our clean copy is newer than what the datastore holds: only possible after the datastore lost
    // history. Pushing it again is how the fleet converges.
    return Decision.REPUSH;
  }
}
