package io.gravwell.datastore.protocol.client;

import io.gravwell.datastore.protocol.v1.Error;
import io.gravwell.datastore.protocol.v1.ErrorCode;

/** A request or connection that failed with one of the protocol's stable error codes. */
public final class DatastoreException extends RuntimeException {
  private final ErrorCode code;
  private final String detail;

  public DatastoreException(ErrorCode code, String message) {
    super(code + ": " + message);
    this.code = code;
    this.detail = message;
  }

  public static DatastoreException of(Error error) {
    return new DatastoreException(error.getCode(), error.getMessage());
  }

  public ErrorCode code() {
    return code;
  }

  /** The message without the code, as sent on the wire. */
  public String detail() {
    return detail;
  }
}
