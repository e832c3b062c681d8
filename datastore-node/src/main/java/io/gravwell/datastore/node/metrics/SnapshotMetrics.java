package io.gravwell.datastore.node.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Snapshots this node took (successes, failures, duration). Size and index of the latest are in StoreMetrics. */
public final class SnapshotMetrics {
  private final Timer duration;
  private final Counter failures;

  public SnapshotMetrics(MeterRegistry registry) {
    // Its _count is the number of snapshots taken; a histogram so slow snapshots show in quantiles.
    duration = Timer.builder("datastore.snapshot.duration")
        .description("Snapshots taken by this node and how long each took (store flush, backup, fsync, md5)")
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(10))
        .maximumExpectedValue(Duration.ofMinutes(10))
        .register(registry);
    failures = Counter.builder("datastore.snapshot.failures")
        .description("Snapshots that failed with an error; the log is not purged until one succeeds")
        .register(registry);
  }

  void taken(long nanos) {
    duration.record(nanos, TimeUnit.NANOSECONDS);
  }

  void failed() {
    failures.increment();
  }
}
