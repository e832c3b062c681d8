package io.gravwell.datastore.client.content;

/**
 * A chunk the manifest names is not in the local store (yet): the metadata arrived before all of its
 * chunks, or a newer upload replaced the version mid-read. Retrying later helps; the bytes are not served.
 */
public final class ContentNotSyncedException extends RuntimeException {
  public ContentNotSyncedException(String message) {
    super(message);
  }
}
