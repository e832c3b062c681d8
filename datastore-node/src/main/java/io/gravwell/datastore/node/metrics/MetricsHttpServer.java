package io.gravwell.datastore.node.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.gravwell.datastore.metrics.ProcessMeters;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * /metrics, /health/live and /health/ready on Datastore-Metrics-Port. The JDK's HttpServer runs on its own
 * two threads, so a slow scraper or a slow disk never touches Netty's client event loops or Ratis' threads.
 */
public final class MetricsHttpServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MetricsHttpServer.class);
  // Text format 0.0.4: what every Prometheus (including Debian's 2.42) parses without negotiation.

  private final HttpServer server;
  private final ExecutorService executor;

  private MetricsHttpServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  public static MetricsHttpServer start(InetSocketAddress address, PrometheusMeterRegistry registry,
      Supplier<Readiness> readiness) throws IOException {
    HttpServer server = HttpServer.create(address, 16);
    ExecutorService executor = Executors.newFixedThreadPool(2,
        new io.netty.util.concurrent.DefaultThreadFactory("metrics-http", true));
    server.setExecutor(executor);
    server.createContext("/metrics", ex -> answer(ex, 200, ProcessMeters.PROMETHEUS_TEXT, registry::scrape));
    server.createContext("/health/live", ex -> answer(ex, 200, "application/json", () -> "{\"live\":true}\n"));
    server.createContext("/health/ready", ex -> {
      Readiness r = readiness.get();
      answer(ex, r.ready() ? 200 : 503, "application/json", r::toJson);
    });
    server.start();
    LOG.info("metrics and health checks on http://{}:{}/metrics", address.getHostString(),
        server.getAddress().getPort());
    return new MetricsHttpServer(server, executor);
  }

  public InetSocketAddress localAddress() {
    return server.getAddress();
  }

  private static void answer(HttpExchange ex, int status, String contentType, Supplier<String> body)
      throws IOException {
    try (ex) {
      if (!"GET".equals(ex.getRequestMethod()) && !"HEAD".equals(ex.getRequestMethod())) {
        ex.sendResponseHeaders(405, -1);
        return;
      }
      byte[] bytes;
      try {
        bytes = body.get().getBytes(StandardCharsets.UTF_8);
      } catch (RuntimeException e) {
        LOG.warn("answering {} failed", ex.getRequestURI(), e);
        status = 500;
        bytes = ("error: " + e + "\n").getBytes(StandardCharsets.UTF_8);
      }
      ex.getResponseHeaders().set("Content-Type", contentType);
      ex.getResponseHeaders().set("Cache-Control", "no-store");
      boolean head = "HEAD".equals(ex.getRequestMethod());
      ex.sendResponseHeaders(status, head ? -1 : bytes.length);
      if (!head) {
        try (OutputStream out = ex.getResponseBody()) {
          out.write(bytes);
        }
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
