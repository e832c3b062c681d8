package io.gravwell.datastore.node.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus (Debian's binary, run directly, never as a service) on a free loopback port with its
 * own storage under a temporary directory, and a client for its HTTP API.
 */
public final class PrometheusServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final Process process;
  private final int port;
  private final Path log;

  private PrometheusServer(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /**
   * @param jobs host:port targets by job name (the rules select job="datastore" and job="webserver"),
   *     each served at /metrics
   * @param rules an alert rule file (a test copy with short {@code for:})
   */
  public static PrometheusServer start(Path binary, Path dir, Map<String, List<String>> jobs, Path rules)
      throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path config = dir.resolve("prometheus.yml");
    // 1 s scrapes and rule evaluations: enough samples for rate() and a quick "for:" in seconds.
    Files.writeString(config, """
        global:
          scrape_interval: 1s
          scrape_timeout: 1s
          evaluation_interval: 1s
        rule_files:
          - %s
        scrape_configs:
        %s""".formatted(rules, scrapeConfigs(jobs)));
    Path log = dir.resolve("prometheus.log");
    Process p = new ProcessBuilder(binary.toString(),
        "--config.file=" + config,
        "--storage.tsdb.path=" + dir.resolve("data"),
        "--web.listen-address=127.0.0.1:" + port,
        "--log.level=warn")
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    PrometheusServer server = new PrometheusServer(p, port, log);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!server.isReady()) {
      if (!p.isAlive() || System.nanoTime() > deadline) {
        String out = Files.exists(log) ? Files.readString(log) : "";
        server.close();
        throw new IllegalStateException("prometheus did not become ready:\n" + out);
      }
      Thread.sleep(200);
    }
    return server;
  }

  private static String scrapeConfigs(Map<String, List<String>> jobs) {
    StringBuilder out = new StringBuilder();
    jobs.forEach((job, targets) -> out.append("  - job_name: ").append(job).append('\n')
        .append("    static_configs:\n")
        .append("      - targets: [")
        .append(String.join(", ", targets.stream().map(t -> "'" + t + "'").toList()))
        .append("]\n"));
    return out.toString();
  }

  private boolean isReady() {
    try {
      return get("/-/ready").statusCode() == 200;
    } catch (IOException e) {
      return false;
    }
  }

  /** The {@code data} member of an API answer; fails on an API error. */
  public JsonNode api(String path) throws IOException {
    HttpResponse<String> r = get(path);
    JsonNode body = JSON.readTree(r.body());
    if (!"success".equals(body.path("status").asText())) {
      throw new IllegalStateException(path + " failed: " + r.body());
    }
    return body.path("data");
  }

  /** An instant query's result vector (or scalar), as Prometheus returns it. */
  public JsonNode query(String promql) throws IOException {
    return api("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
  }

  public String logText() throws IOException {
    return Files.exists(log) ? Files.readString(log) : "";
  }

  private HttpResponse<String> get(String path) throws IOException {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
