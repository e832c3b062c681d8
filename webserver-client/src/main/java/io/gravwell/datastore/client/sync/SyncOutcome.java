package io.gravwell.datastore.client.sync;

/** How one sync cycle ended. */
public enum SyncOutcome {
  /** Nothing changed anywhere: only a ping was sent. */
  IDLE,
  /** Incremental sync with the same history. */
  SYNCED,
  FIRST_SYNC,
  RESEEDED,
  /** The datastore has no cluster id yet (a new group forming); try again later. */
  WAITING,
  /** No datastore node answered; local changes stay queued. */
  UNAVAILABLE,
  /** The cycle stopped early (an error answer, or the identity changed mid-cycle); nothing was deleted. */
  ABORTED
}
