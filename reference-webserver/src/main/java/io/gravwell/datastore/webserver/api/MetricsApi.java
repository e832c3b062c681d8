package io.gravwell.datastore.webserver.api;

import io.gravwell.datastore.metrics.ProcessMeters;
import io.gravwell.datastore.webserver.http.ApiResponse;
import io.gravwell.datastore.webserver.http.Router;
import io.gravwell.datastore.webserver.metrics.WebserverMetrics;
import java.nio.charset.StandardCharsets;

/**
 * GET /metrics on the API port, in Prometheus' text format. The same port as the API (no Metrics-Port
 * key): a webserver is already reachable there, and there is one port less to open and configure.
 */
public final class MetricsApi {
  private final WebserverMetrics metrics;

  public MetricsApi(WebserverMetrics metrics) {
    this.metrics = metrics;
  }

  public void register(Router router) {
    router.add("GET", "/metrics", r -> new ApiResponse(200, ProcessMeters.PROMETHEUS_TEXT,
        metrics.scrape().getBytes(StandardCharsets.UTF_8)));
  }
}
