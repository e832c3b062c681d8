package io.gravwell.datastore.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import java.lang.management.ManagementFactory;

/**
 * The JVM and process meters that the datastore node and the webserver both export, under the same names,
 * so that one set of Grafana JVM panels reads either.
 */
public final class ProcessMeters implements AutoCloseable {
  /** Text format 0.0.4: what every Prometheus (including Debian's 2.42) parses without negotiation. */
  public static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final JvmGcMetrics gc = new JvmGcMetrics();

  private ProcessMeters() {}

  /** Binds the meters to a registry that has none yet: the name fixes apply only to meters added later. */
  public static ProcessMeters bindTo(MeterRegistry registry) {
    keepPromtoolHappy(registry);
    ProcessMeters meters = new ProcessMeters();
    new JvmMemoryMetrics().bindTo(registry);
    meters.gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new JvmInfoMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    return meters;
  }

  /** Micrometer's stock binders break two of Prometheus' naming rules, which {@code promtool check metrics} enforces. */
  private static void keepPromtoolHappy(MeterRegistry registry) {
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

  /** Stops the GC notification listener; the registry itself belongs to the caller. */
  @Override
  public void close() {
    gc.close();
  }
}
