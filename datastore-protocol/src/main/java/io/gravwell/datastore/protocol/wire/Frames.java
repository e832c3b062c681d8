package io.gravwell.datastore.protocol.wire;

import io.gravwell.datastore.protocol.v1.Error;
import io.gravwell.datastore.protocol.v1.ErrorCode;
import io.gravwell.datastore.protocol.v1.Response;

/** Constants and small helpers shared by both ends of the wire protocol. */
public final class Frames {
  /** Version sent in Hello. A node answers UNSUPPORTED_VERSION to any other. */
  public static final int PROTOCOL_VERSION = 1;

  public static final int LENGTH_BYTES = 4;

  /** Default limit for one frame; nodes announce their own in HelloResult. */
  public static final int DEFAULT_MAX_FRAME_BYTES = 4 * 1024 * 1024;

  /** Default client port of a datastore node. */
  public static final int DEFAULT_PORT = 9405;

  private Frames() {}

  public static Response error(long requestId, ErrorCode code, String message) {
    return Response.newBuilder()
        .setId(requestId)
        .setError(Error.newBuilder().setCode(code).setMessage(message))
        .build();
  }
}
