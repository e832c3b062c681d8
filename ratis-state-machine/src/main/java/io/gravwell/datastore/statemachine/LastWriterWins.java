package io.gravwell.datastore.statemachine;

import io.gravwell.datastore.protocol.v1.StoredObject;

/**
 * The conflict order of writes to one key: (updated_ms, origin), compared lexicographically. Writers
 * stamp both, so every replica and every webserver ranks two versions the same way.
 */
final class LastWriterWins {

  private LastWriterWins() {}

  static int compare(long updatedMs, String origin, long otherUpdatedMs, String otherOrigin) {
    int byTime = Long.compare(updatedMs, otherUpdatedMs);
    return byTime != 0 ? byTime : origin.compareTo(otherOrigin);
  }

  /** True if a write stamped (updatedMs, origin) loses against {@code stored}. Ties go to the newcomer. */
  static boolean losesTo(long updatedMs, String origin, StoredObject stored) {
    return compare(updatedMs, origin, stored.getUpdatedMs(), stored.getOrigin()) < 0;
  }
}
