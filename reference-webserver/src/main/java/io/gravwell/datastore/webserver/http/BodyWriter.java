package io.gravwell.datastore.webserver.http;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A response body written straight to the connection, for content too big to hold in heap. It runs after
 * the status and Content-Length are sent: if it fails, the server closes the connection short of the
 * promised length, so the client sees a broken transfer rather than a complete wrong body.
 */
@FunctionalInterface
public interface BodyWriter {
  void writeTo(OutputStream out) throws IOException;
}
