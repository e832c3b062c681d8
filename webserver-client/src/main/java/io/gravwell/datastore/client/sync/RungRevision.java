package io.gravwell.datastore.client.sync;

import io.gravwell.datastore.protocol.v1.Identity;

/**
 * What the watch announced, kept per history. A ring from the history the webserver is synced with raises
 * the revision its next ping must reach (else the node that answers may not have applied the change yet,
 * the cycle finds nothing, and the change waits for the next poll). A ring from any other history is
 * ignored here: the identity check deals with other histories.
 */
final class RungRevision {
  private RungRevision() {}

  /** The later of two rings; a ring from a different history replaces the old one. */
  static Identity later(Identity current, Identity rung) {
    boolean sameHistory = current.getClusterId().equals(rung.getClusterId())
        && current.getIncarnation() == rung.getIncarnation();
    return !sameHistory || rung.getRevision() > current.getRevision() ? rung : current;
  }

  /** The checkpoint's identity, at the newest revision rung in that same history. */
  static Identity floor(Identity checkpoint, Identity heard) {
    boolean sameHistory = checkpoint.getClusterId().equals(heard.getClusterId())
        && checkpoint.getIncarnation() == heard.getIncarnation();
    return sameHistory && heard.getRevision() > checkpoint.getRevision()
        ? checkpoint.toBuilder().setRevision(heard.getRevision()).build()
        : checkpoint;
  }
}
