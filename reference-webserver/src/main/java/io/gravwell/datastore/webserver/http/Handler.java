package io.gravwell.datastore.webserver.http;

/** One route's code: everything it needs is in the request; what it throws becomes an error response. */
@FunctionalInterface
public interface Handler {
  ApiResponse handle(ApiRequest request);
}
