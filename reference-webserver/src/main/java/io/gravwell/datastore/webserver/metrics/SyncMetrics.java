package io.gravwell.datastore.webserver.metrics;

import io.gravwell.datastore.client.store.LocalStore;
import io.gravwell.datastore.client.sync.SyncAgent;
import io.gravwell.datastore.client.sync.SyncCounters;
import io.gravwell.datastore.client.sync.SyncOutcome;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import java.util.function.IntSupplier;
import java.util.function.ToDoubleFunction;

/**
 * The sync library's state as Prometheus series ({@code datastore_client_*}). The library only keeps
 * counters; every value here is read from them at scrape time, so nothing on the sync path changes.
 */
public final class SyncMetrics {
  private SyncMetrics() {}

  /**
   * @param failovers how often the cluster client moved to another node
   * @param startedMillis the agent's clock at start: reported as the last sync until the first one, so a
   *     webserver that never syncs still trips the not-synced alert
   */
  public static void bind(MeterRegistry registry, SyncAgent agent, LocalStore store, IntSupplier failovers,
      long startedMillis) {
    Gauge.builder("datastore.client.last_sync_timestamp", agent,
            a -> (a.lastSuccessMillis() < 0 ? startedMillis : a.lastSuccessMillis()) / 1000.0)
        .baseUnit("seconds")
        .description("When the last sync cycle against the datastore completed (Unix time; the start time"
            + " until the first one)")
        .register(registry);
    Gauge.builder("datastore.client.sync.lag", agent, a -> SyncLag.of(store.checkpoint(), a.newestSeen()))
        .baseUnit("revisions")
        .description("Newest cluster revision heard of (pings, watch rings) minus the local checkpoint's revision")
        .register(registry);
    Gauge.builder("datastore.client.queued.changes", store, LocalStore::dirtyCount)
        .description("Local changes (dirty objects and local deletes) not yet pushed to the datastore")
        .register(registry);
    Gauge.builder("datastore.client.datastore.available", agent, a -> a.isDatastoreAvailable() ? 1 : 0)
        .description("1 if the last contact with the datastore succeeded; 0 in degraded mode")
        .register(registry);

    SyncCounters c = agent.counters();
    for (SyncOutcome outcome : SyncOutcome.values()) {
      counter("datastore.client.syncs", c, x -> x.outcomes(outcome), "Sync cycles by how they ended")
          .tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
          .register(registry);
    }
    counter("datastore.client.reseeds", c, SyncCounters::reseeds,
        "Re-seeds: the datastore's identity changed or its revision went back, so everything was pushed and pulled")
        .register(registry);
    counter("datastore.client.conflicts", c, SyncCounters::conflictsLost,
        "Local changes that lost last-writer-wins to a later write elsewhere")
        .register(registry);
    counter("datastore.client.deleted_by_datastore", c, SyncCounters::deletedByDatastore,
        "Local objects removed on the datastore's evidence (a tombstone or a trusted full listing)")
        .register(registry);
    counter("datastore.client.deletes_forgotten", c, SyncCounters::deletesForgotten,
        "Remembered deletes dropped once older than Datastore-Tombstone-Retention (a re-seed no longer pushes them)")
        .register(registry);
    FunctionCounter.builder("datastore.client.failovers", failovers, IntSupplier::getAsInt)
        .description("Times the cluster client moved to another datastore node")
        .register(registry);
  }

  private static FunctionCounter.Builder<SyncCounters> counter(String name, SyncCounters counters, ToDoubleFunction<SyncCounters> value, String description) {
    return FunctionCounter.builder(name, counters, value).description(description);
  }
}
