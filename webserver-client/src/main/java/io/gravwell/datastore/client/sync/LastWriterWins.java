package io.gravwell.datastore.client.sync;

import io.gravwell.datastore.protocol.v1.StoredObject;

/**
 * The conflict order of versions of one key, (updated_ms, origin) compared lexicographically: the same
 * order the datastore applies, so a webserver ranks a remote version against its own exactly as the
 * cluster would have.
 */
final class LastWriterWins {

  private LastWriterWins() {}

  static int compare(StoredObject a, StoredObject b) {
    int byTime = Long.compare(a.getUpdatedMs(), b.getUpdatedMs());
    return byTime != 0 ? byTime : a.getOrigin().compareTo(b.getOrigin());
  }

  /** The same write: same stamp and same kind (live or deleted). Stamps are unique per key and writer. */
  static boolean sameVersion(StoredObject a, StoredObject b) {
    return compare(a, b) == 0 && a.getDeleted() == b.getDeleted();
  }
}
