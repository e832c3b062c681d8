package io.gravwell.datastore.webserver.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.gravwell.datastore.client.DatastoreUnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JDK HTTP server in front of a {@link Router}. Every failure of one request becomes a JSON error for
 * that request only: nothing a client sends can stop the server or touch another client's request.
 */
public final class ApiServer {
  private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
  private static final int THREADS = 16;
  private static final int QUEUE = 256;
  private static final long DRAIN_LIMIT = 8L * 1024 * 1024;

  private final Router router;
  private final HttpServer server;
  private final ThreadPoolExecutor pool;

  public ApiServer(String address, int port, Router router) throws IOException {
    this.router = router;
    this.server = HttpServer.create(new InetSocketAddress(address, port), 128);
    AtomicInteger n = new AtomicInteger();
    // Bounded both ways; when full, the accepting thread runs the request itself, which slows accepting
    // new connections instead of growing a queue without limit or dropping a request silently.
    this.pool = new ThreadPoolExecutor(THREADS, THREADS, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE),
        r -> {
          Thread t = new Thread(r, "http-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        }, new ThreadPoolExecutor.CallerRunsPolicy());
    server.setExecutor(pool);
    server.createContext("/", this::serve);
  }

  public void start() {
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public void stop() {
    server.stop(0);
    pool.shutdown();
    try {
      pool.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void serve(HttpExchange exchange) {
    try {
      send(exchange, dispatch(exchange));
    } catch (IOException | RuntimeException e) {
      // The client went away mid-response; nothing left to tell it.
      LOG.debug("could not send a response to {}", exchange.getRemoteAddress(), e);
    } finally {
      exchange.close();
    }
  }

  private ApiResponse dispatch(HttpExchange exchange) {
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getPath();
    try {
      Router.Match m = router.resolve(method, path);
      return m.handler().handle(new ApiRequest(exchange, m.params()));
    } catch (ApiException e) {
      return ApiResponse.error(e.status(), e.getMessage());
    } catch (DatastoreUnavailableException e) {
      return ApiResponse.error(503, e.getMessage());
    } catch (RuntimeException e) {
      LOG.error("{} {} failed", method, path, e);
      return ApiResponse.error(500, "internal error: " + e.getClass().getSimpleName());
    }
  }

  /**
   * Reads and drops what is left of a refused body, up to {@link #DRAIN_LIMIT}. Many clients (the JDK's
   * among them) report a reset instead of our 413 if we answer while they are still sending.
   */
  private static boolean drained(HttpExchange exchange) {
    try (InputStream in = exchange.getRequestBody()) {
      byte[] buf = new byte[64 * 1024];
      long total = 0;
      int n;
      while ((n = in.read(buf)) > 0) {
        total += n;
        if (total > DRAIN_LIMIT) {
          return false;
        }
      }
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void send(HttpExchange exchange, ApiResponse r) throws IOException {
    if (r.contentType() != null) {
      exchange.getResponseHeaders().set("Content-Type", r.contentType());
    }
    if (r.status() == 413 && !drained(exchange)) {
      // The rest of the refused body stays unread, so this connection cannot carry another request.
      exchange.getResponseHeaders().set("Connection", "close");
    }
    if (r.stream() != null && r.streamLength() > 0) {
      exchange.sendResponseHeaders(r.status(), r.streamLength());
      try (OutputStream out = exchange.getResponseBody()) {
        r.stream().writeTo(out);
      }
      return;
    }
    boolean empty = r.body().length == 0;
    exchange.sendResponseHeaders(r.status(), empty ? -1 : r.body().length);
    if (!empty) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(r.body());
      }
    }
  }
}
