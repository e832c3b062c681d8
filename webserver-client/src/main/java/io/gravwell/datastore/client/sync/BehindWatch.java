package io.gravwell.datastore.client.sync;

import java.time.Clock;
import java.time.Duration;

/**
 * Tells a cluster that is catching up from one that rolled back. Right after a leader change every live
 * node may briefly answer from below the revision this webserver last synced at (the new leader applies
 * the old term's last entries only once it commits one of its own). That is the same history, not a
 * rollback: re-seeding then would push the whole local copy for nothing. So a revision behind ours in the
 * same cluster id and incarnation counts as a rollback only once it has lasted {@code grace}.
 */
final class BehindWatch {
  /** Comfortably longer than an election plus the new leader's first commit, even on a loaded machine. */
  static final Duration DEFAULT_GRACE = Duration.ofSeconds(30);

  private final Clock clock;
  private final Duration grace;
  private long behindSinceMs = -1;

  BehindWatch(Clock clock, Duration grace) {
    this.clock = clock;
    this.grace = grace;
  }

  /** The datastore answered from behind us again; whether it has been so for the whole grace. */
  synchronized boolean lastedTheGrace() {
    long now = clock.millis();
    if (behindSinceMs < 0) {
      behindSinceMs = now;
    }
    return now - behindSinceMs >= grace.toMillis();
  }

  /** An answer that was not behind: the next one behind starts a new wait. */
  synchronized void caughtUp() {
    behindSinceMs = -1;
  }
}
