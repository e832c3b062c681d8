package io.gravwell.datastore.client.content;

/** An upload went past its size limit; the chunks it had written are deleted again. */
public final class ContentTooLargeException extends RuntimeException {
  private final long limit;

  public ContentTooLargeException(long limit) {
    super("content exceeds the limit of " + limit + " bytes");
    this.limit = limit;
  }

  public long limit() {
    return limit;
  }
}
