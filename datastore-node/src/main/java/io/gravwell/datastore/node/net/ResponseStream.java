package io.gravwell.datastore.node.net;

import io.gravwell.datastore.protocol.v1.Response;
import java.util.concurrent.CompletableFuture;

/**
 * The answers to one streaming request, all sent with its id. Each send completes once the response is
 * written to the socket, so a producer that waits for it never holds more than it chose to in heap.
 */
public interface ResponseStream {
  /** Fails if the connection is gone. */
  CompletableFuture<Void> send(Response response);
}
