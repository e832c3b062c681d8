package io.gravwell.datastore.client.sync;

/**
 * An answer in the middle of a cycle came from another history than the one the cycle began with (the
 * cluster was replaced or restored meanwhile), or from behind the revision the cycle already relies on.
 * The cycle stops without deleting anything; the next one starts over with a fresh identity check.
 */
final class IdentityShiftedException extends RuntimeException {
  IdentityShiftedException(String message) {
    super(message, null, false, false);
  }
}
