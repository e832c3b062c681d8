package io.gravwell.datastore.client.content;

/** The assembled chunks do not have the size or SHA-256 the manifest promises. */
public final class ContentCorruptException extends RuntimeException {
  public ContentCorruptException(String message) {
    super(message);
  }
}
