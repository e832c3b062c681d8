package io.gravwell.datastore.client;

/**
 * An operation the webserver refuses while no datastore node is reachable: deletes and user or group
 * administration, as upstream does. Other changes are accepted and queued instead.
 */
public final class DatastoreUnavailableException extends RuntimeException {
  public DatastoreUnavailableException(String what) {
    super("datastore unavailable: " + what);
  }
}
