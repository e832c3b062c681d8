package io.gravwell.datastore.chaos.workload;

import io.gravwell.datastore.chaos.cluster.NodeContainer;
import io.gravwell.datastore.protocol.client.DatastoreConnection;
import io.gravwell.datastore.protocol.v1.Request;
import io.gravwell.datastore.protocol.v1.Response;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A client bound to one node, as a webserver would be: one connection, reopened after it breaks.
 * Requests time out after {@link #TIMEOUT}; the caller records that as an unknown outcome.
 */
final class NodeClient implements AutoCloseable {
  static final Duration TIMEOUT = Duration.ofSeconds(5);
  private final NodeContainer node;
  private final String clientId;
  private DatastoreConnection conn;

  NodeClient(NodeContainer node, String clientId) {
    this.node = node;
    this.clientId = clientId;
  }

  NodeContainer node() {
    return node;
  }

  /** Sends one request; throws on error responses, timeouts and broken connections. */
  Response call(Request.Builder request) throws Exception {
    if (conn == null || !conn.isOpen()) {
      close();
      try {
        conn = DatastoreConnection.open(node.connectionOptions(clientId).withRequestTimeout(TIMEOUT))
            .get(TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        throw new NotSent(node + ": " + Outcomes.describe(e));
      }
    }
    try {
      return conn.call(request).get(TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      if (!(Outcomes.unwrap(e) instanceof io.gravwell.datastore.protocol.client.DatastoreException)) {
        close(); // timeouts and broken connections: start afresh next time
      }
      throw e;
    }
  }

  /** The request never left: the connection could not be opened. */
  static final class NotSent extends Exception {
    NotSent(String message) {
      super(message);
    }
  }

  @Override
  public void close() {
    if (conn != null) {
      conn.close();
      conn = null;
    }
  }
}
