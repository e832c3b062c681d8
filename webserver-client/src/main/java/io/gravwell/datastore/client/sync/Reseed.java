package io.gravwell.datastore.client.sync;

import io.gravwell.datastore.client.store.SyncCheckpoint;
import io.gravwell.datastore.protocol.v1.Identity;
import java.util.Optional;

/**
 * One re-seed: the datastore's history is not the one this webserver synced with, so the local copy is
 * pushed into it (conflicts decided by the normal rule), nothing local is deleted, and the new identity is
 * adopted.
 *
 * @param previous what the webserver last synced with (empty if it had no checkpoint)
 * @param now the datastore's identity when the re-seed began
 */
public record Reseed(IdentityCheck.Reason reason, Optional<SyncCheckpoint> previous, Identity now) {

  /** The one WARN line: names both identities and the reason. */
  public String describe(long localObjects) {
    return "datastore identity check: " + reason + "; last synced with "
        + previous.map(SyncCheckpoint::toString).orElse("nothing (no checkpoint)")
        + ", datastore is now cluster " + now.getClusterId() + " incarnation " + now.getIncarnation()
        + " revision " + now.getRevision() + "; re-seeding it from " + localObjects
        + " local objects and deleting nothing";
  }

  /** Two attempts at the same transition (the first one interrupted) are one re-seed. */
  boolean sameTransition(Reseed other) {
    return other != null && reason == other.reason && previous.equals(other.previous)
        && now.getClusterId().equals(other.now.getClusterId()) && now.getIncarnation() == other.now.getIncarnation();
  }
}
