package io.gravwell.datastore.webserver.metrics;

import io.gravwell.datastore.client.store.SyncCheckpoint;
import io.gravwell.datastore.protocol.v1.Identity;
import java.util.Optional;

/** How many revisions the local copy is behind the newest cluster revision the sync agent has heard of. */
final class SyncLag {
  private SyncLag() {}

  /**
   * @param checkpoint what the local copy last synced with
   * @param seen the newest identity the agent heard (empty cluster id: the datastore never answered)
   */
  static long of(Optional<SyncCheckpoint> checkpoint, Identity seen) {
    if (seen.getClusterId().isEmpty()) {
      // Nothing heard, nothing known to be missing; the last-sync age shows the outage instead.
      return 0;
    }
    if (checkpoint.isEmpty() || !checkpoint.get().sameHistory(seen)) {
      // A first sync or a re-seed ahead: everything in that history is still to pull.
      return seen.getRevision();
    }
    // Never negative: the checkpoint may already be past the last ping (a pull answered by a newer node).
    return Math.max(0, seen.getRevision() - checkpoint.get().revision());
  }
}
