package io.gravwell.datastore.webserver.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import java.lang.management.ManagementFactory;

/**
 * Keeps Micrometer's stock binders within Prometheus' naming rules, so that {@code promtool check metrics}
 * passes. The same two fixes as the datastore node's (which this module must not depend on): both sides'
 * JVM panels then read the same names.
 */
final class PromLintFilters {
  private PromLintFilters() {}

  static void apply(MeterRegistry registry) {
    // "system_cpu_count": a _count suffix is reserved for summaries and histograms.
    registry.config().meterFilter(new MeterFilter() {
      @Override
      public Meter.Id map(Meter.Id id) {
        return id.getName().equals("system.cpu.count") ? id.withName("system.cpu.cores") : id;
      }
    });
    // "process_cpu_time_ns_total" is in nanoseconds, not the base unit: replaced by process_cpu_seconds_total.
    registry.config().meterFilter(MeterFilter.denyNameStartsWith("process.cpu.time"));
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      FunctionCounter.builder("process.cpu", os, o -> o.getProcessCpuTime() / 1e9)
          .baseUnit("seconds")
          .description("CPU time used by this process")
          .register(registry);
    }
  }
}
