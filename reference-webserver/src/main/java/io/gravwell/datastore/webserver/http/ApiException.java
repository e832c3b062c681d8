package io.gravwell.datastore.webserver.http;

/** A request that cannot be served, with the HTTP status and the message the client sees as {"error": ...}. */
public final class ApiException extends RuntimeException {
  private final int status;

  public ApiException(int status, String message) {
    super(message);
    this.status = status;
  }

  public int status() {
    return status;
  }

  public static ApiException badRequest(String message) {
    return new ApiException(400, message);
  }

  public static ApiException notFound(String message) {
    return new ApiException(404, message);
  }

  public static ApiException tooLarge(String message) {
    return new ApiException(413, message);
  }
}
