package io.gravwell.datastore.protocol.wire;

import io.gravwell.datastore.protocol.v1.ErrorCode;

/**
 * A frame that cannot be accepted. The connection that sent it is answered with an error frame carrying
 * {@link #code()} and then closed: after a bad frame the byte stream can no longer be trusted.
 */
public final class FrameException extends RuntimeException {
  private final ErrorCode code;

  public FrameException(ErrorCode code, String message) {
    super(message);
    this.code = code;
  }

  public FrameException(ErrorCode code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  public ErrorCode code() {
    return code;
  }
}
