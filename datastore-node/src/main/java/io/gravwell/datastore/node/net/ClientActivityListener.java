package io.gravwell.datastore.node.net;

import io.gravwell.datastore.protocol.v1.Request;
import io.gravwell.datastore.protocol.v1.Response;

/**
 * Told about every request an authenticated client has been answered, with the id it gave in Hello. The
 * client port knows who is asking; the metrics (per-webserver check-in and revision lag) want to know, and
 * this keeps the two apart. Called on Netty's event loop or a reply thread: it must be quick and must not
 * block.
 */
@FunctionalInterface
public interface ClientActivityListener {
  ClientActivityListener NONE = (clientId, request, response) -> {};

  void answered(String clientId, Request request, Response response);
}
