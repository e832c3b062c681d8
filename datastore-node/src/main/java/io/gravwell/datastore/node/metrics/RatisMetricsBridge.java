package io.gravwell.datastore.node.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.metrics.MetricRegistries;
import org.apache.ratis.metrics.MetricRegistryInfo;
import org.apache.ratis.metrics.RatisMetricRegistry;
import org.apache.ratis.metrics.impl.RatisMetricRegistryImpl;
import org.apache.ratis.thirdparty.com.codahale.metrics.Metric;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bridges Ratis' own metrics into this node's Micrometer registry.
 *
 * <p>Ratis creates its registries through {@link MetricRegistries#global()} (found by service loader; here
 * ratis-metrics-default, which keeps Dropwizard registries). We register a reporter with it: Ratis calls
 * us for every registry it creates or removes, and we listen on that registry's Dropwizard
 * {@code MetricRegistry}, which also tells us about metrics added later (per-follower gauges appear when
 * this node becomes leader) and removed. Each Ratis metric becomes a Micrometer meter that reads the
 * Ratis value at scrape time, so nothing is copied or polled.
 *
 * <p>The global registry is shared by every Ratis server in the JVM (several nodes in one test JVM), so a
 * bridge only takes registries whose member prefix is this node's ({@code n1@group-...}).
 *
 * <p>Mapping: gauges stay gauges (names ending in {@code _time} are Ratis' elapsed times and are exported in
 * seconds), counters and meters become counters, timers and histograms become their p50/p99
 * as gauges ({@code _p50_seconds}, {@code _p99_seconds}) plus an {@code _events_total} counter (Dropwizard keeps decaying
 * reservoirs, not cumulative sums, so a Prometheus histogram cannot be rebuilt faithfully).
 */
public final class RatisMetricsBridge implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RatisMetricsBridge.class);

  private final MeterRegistry registry;
  private final String memberPrefix;
  private final List<String> peers;
  private final Map<RatisMetricRegistry, RatisRegistryListener> attached = new ConcurrentHashMap<>();
  private final java.util.function.Consumer<RatisMetricRegistry> onCreate = this::attach;
  private final java.util.function.Consumer<RatisMetricRegistry> onRemove = this::detach;

  public RatisMetricsBridge(MeterRegistry registry, String selfId, List<String> peers) {
    this.registry = registry;
    this.memberPrefix = selfId + "@";
    this.peers = List.copyOf(peers);
  }

  /** Call before the RaftServer is built, so that its registries are reported to us as they are created. */
  public void start() {
    MetricRegistries.global().addReporterRegistration(onCreate, onRemove);
    // Registries that already exist (a node restarted inside the same JVM) are taken as they are.
    MetricRegistries.global().getMetricRegistries().forEach(this::attach);
  }

  private boolean ours(RatisMetricRegistry r) {
    String prefix = r.getMetricRegistryInfo().getPrefix();
    return prefix != null && prefix.startsWith(memberPrefix);
  }

  private void attach(RatisMetricRegistry r) {
    if (!ours(r) || !(r instanceof RatisMetricRegistryImpl impl)) {
      return;
    }
    RatisRegistryListener listener = new RatisRegistryListener(r.getMetricRegistryInfo());
    if (attached.putIfAbsent(r, listener) == null) {
      // addListener replays every metric already in the registry, then reports later additions.
      impl.getDropWizardMetricRegistry().addListener(listener);
    }
  }

  private void detach(RatisMetricRegistry r) {
    RatisRegistryListener listener = attached.remove(r);
    if (listener != null && r instanceof RatisMetricRegistryImpl impl) {
      impl.getDropWizardMetricRegistry().removeListener(listener);
      listener.removeAll();
    }
  }

  /** On the leader: Ratis' log appender's match index for {@code peer}, if it currently tracks one. */
  OptionalLong followerMatchIndex(String peer) {
    for (RatisMetricRegistry r : attached.keySet()) {
      MetricRegistryInfo info = r.getMetricRegistryInfo();
      if ("log_appender".equals(info.getMetricsComponentName()) && r instanceof RatisMetricRegistryImpl impl) {
        Metric m = impl.get("follower_" + peer + "_match_index");
        if (m instanceof org.apache.ratis.thirdparty.com.codahale.metrics.Gauge<?> g
            && g.getValue() instanceof Number n) {
          return OptionalLong.of(n.longValue());
        }
      }
    }
    return OptionalLong.empty();
  }

  @Override
  public void close() {
    MetricRegistries.global().removeReporterRegistration(onCreate, onRemove);
    attached.keySet().forEach(this::detach);
  }

  /** Mirrors one Ratis registry's metrics as Micrometer meters, adding and removing as Ratis does. */
  private final class RatisRegistryListener
      extends org.apache.ratis.thirdparty.com.codahale.metrics.MetricRegistryListener.Base {
    private final MetricRegistryInfo info;
    private final String namePrefix;
    private final Map<String, List<Meter>> meters = new ConcurrentHashMap<>();

    RatisRegistryListener(MetricRegistryInfo info) {
      this.info = info;
      this.namePrefix = info.getApplicationName() + "." + info.getMetricsComponentName() + "." + info.getPrefix()
          + ".";
    }

    private RatisMeterNames.Name name(String fullName) {
      String shortName = fullName.startsWith(namePrefix) ? fullName.substring(namePrefix.length()) : fullName;
      return RatisMeterNames.of(info.getApplicationName(), info.getMetricsComponentName(), shortName, peers);
    }

    private String help(String fullName) {
      return "Ratis " + info.getMetricsComponentName() + " metric "
          + (fullName.startsWith(namePrefix) ? fullName.substring(namePrefix.length()) : fullName)
          + " (bridged from Ratis' metric registry)";
    }

    @Override
    public void onGaugeAdded(String fullName, org.apache.ratis.thirdparty.com.codahale.metrics.Gauge<?> gauge) {
      if (Double.isNaN(number(gauge))) {
        return; // not a number (Ratis has a few descriptive gauges); Prometheus has no place for it
      }
      RatisMeterNames.Name n = name(fullName);
      boolean elapsed = n.name().endsWith("_time");
      // Prometheus reserves _count for summaries and histograms; Ratis uses it on plain gauges.
      String meterName = n.name().endsWith("_count") ? n.name() + "_value" : n.name();
      // Ratis keeps elapsed times in milliseconds, except the follower heartbeat gauge (nanoseconds).
      TimeUnit unit = n.name().endsWith("last_heartbeat_elapsed_time") ? TimeUnit.NANOSECONDS : TimeUnit.MILLISECONDS;
      if (elapsed) {
        add(fullName, () -> TimeGauge.builder(meterName, gauge, unit, RatisRegistryListener::number)
            .description(help(fullName) + ", in seconds").tags(n.tags())
            .register(registry));
      } else {
        add(fullName, () -> Gauge.builder(meterName, gauge, RatisRegistryListener::number)
            .description(help(fullName)).tags(n.tags())
            .register(registry));
      }
    }

    @Override
    public void onCounterAdded(String fullName, org.apache.ratis.thirdparty.com.codahale.metrics.Counter c) {
      RatisMeterNames.Name n = name(fullName);
      add(fullName, () -> FunctionCounter.builder(n.name(), c, x -> x.getCount())
          .description(help(fullName)).tags(n.tags())
          .register(registry));
    }

    @Override
    public void onMeterAdded(String fullName, org.apache.ratis.thirdparty.com.codahale.metrics.Meter m) {
      RatisMeterNames.Name n = name(fullName);
      add(fullName, () -> FunctionCounter.builder(n.name(), m, x -> x.getCount())
          .description(help(fullName)).tags(n.tags())
          .register(registry));
    }

    @Override
    public void onTimerAdded(String fullName, org.apache.ratis.thirdparty.com.codahale.metrics.Timer t) {
      RatisMeterNames.Name n = name(fullName);
      for (double q : new double[] {0.5, 0.99}) {
        add(fullName, () -> TimeGauge.builder(quantileName(n, q), t, TimeUnit.NANOSECONDS, x -> x.getSnapshot().getValue(q))
            .description(help(fullName) + ": recent quantile (decaying reservoir), in seconds")
            .tags(n.tags())
            .register(registry));
      }
      add(fullName, () -> FunctionCounter.builder(n.name() + ".events", t, x -> x.getCount())
          .description(help(fullName) + ": events timed").tags(n.tags())
          .register(registry));
    }

    @Override
    public void onHistogramAdded(String fullName, org.apache.ratis.thirdparty.com.codahale.metrics.Histogram h) {
      RatisMeterNames.Name n = name(fullName);
      for (double q : new double[] {0.5, 0.99}) {
        add(fullName, () -> Gauge.builder(quantileName(n, q), h, x -> x.getSnapshot().getValue(q))
            .description(help(fullName) + ": recent quantile (decaying reservoir)")
            .tags(n.tags())
            .register(registry));
      }
      add(fullName, () -> FunctionCounter.builder(n.name() + ".events", h, x -> x.getCount())
          .description(help(fullName) + ": values recorded").tags(n.tags())
          .register(registry));
    }

    /** flush_time and 0.99 give flush_time.p99 (a quantile label is reserved for Prometheus summaries). */
    private static String quantileName(RatisMeterNames.Name n, double q) {
      return n.name() + ".p" + Math.round(q * 100);
    }

    @Override
    public void onGaugeRemoved(String name) {
      remove(name);
    }

    @Override
    public void onCounterRemoved(String name) {
      remove(name);
    }

    @Override
    public void onMeterRemoved(String name) {
      remove(name);
    }

    @Override
    public void onTimerRemoved(String name) {
      remove(name);
    }

    @Override
    public void onHistogramRemoved(String name) {
      remove(name);
    }

    private void add(String fullName, java.util.function.Supplier<Meter> register) {
      try {
        Meter meter = register.get();
        meters.computeIfAbsent(fullName, k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(meter);
      } catch (RuntimeException e) {
        // Two Ratis names that map to one Prometheus name with different types: keep the first.
        LOG.debug("not bridging Ratis metric {}: {}", fullName, e.toString());
      }
    }

    private void remove(String fullName) {
      List<Meter> gone = meters.remove(fullName);
      if (gone != null) {
        gone.forEach(registry::remove);
      }
    }

    void removeAll() {
      meters.keySet().forEach(this::remove);
    }

    private static double number(org.apache.ratis.thirdparty.com.codahale.metrics.Gauge<?> g) {
      try {
        Object v = g.getValue();
        if (v instanceof Number n) {
          return n.doubleValue();
        }
        if (v instanceof Boolean b) {
          return b ? 1 : 0;
        }
      } catch (RuntimeException e) {
        // A gauge over a closed division; report "no value" rather than fail the scrape.
      }
      return Double.NaN;
    }
  }
}
