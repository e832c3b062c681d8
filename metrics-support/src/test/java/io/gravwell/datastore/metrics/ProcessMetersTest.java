package io.gravwell.datastore.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

class ProcessMetersTest {

  @Test
  void jvmAndProcessMetersUnderPromtoolCleanNames() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (ProcessMeters ignored = ProcessMeters.bindTo(registry)) {
      String text = registry.scrape();
      assertThat(text).contains("jvm_memory_used_bytes", "jvm_threads_live_threads", "process_uptime_seconds",
          "process_cpu_seconds_total", "system_cpu_cores");
      // The two names promtool rejects.
      assertThat(text).doesNotContain("system_cpu_count", "process_cpu_time_ns_total");
    } finally {
      registry.close();
    }
  }
}
