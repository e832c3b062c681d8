package io.gravwell.datastore.webserver.metrics;

import io.gravwell.datastore.metrics.ProcessMeters;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The webserver's Prometheus registry: JVM and process metrics, plus whatever is bound to {@link #registry()}
 * (the sync metrics). One per webserver, never the global registry: tests run several in one JVM.
 */
public final class WebserverMetrics implements AutoCloseable {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final ProcessMeters process = ProcessMeters.bindTo(registry);

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** The Prometheus text exposition of every meter, as /metrics serves it. */
  public String scrape() {
    return registry.scrape();
  }

  @Override
  public void close() {
    process.close();
    registry.close();
  }
}
