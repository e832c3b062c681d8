package io.gravwell.datastore.webserver.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gravwell.datastore.client.WebserverSync;
import io.gravwell.datastore.client.store.LocalReader;
import io.gravwell.datastore.client.store.LocalStore;
import io.gravwell.datastore.client.sync.SyncCounters;
import io.gravwell.datastore.client.sync.SyncOutcome;
import io.gravwell.datastore.webserver.http.ApiResponse;
import io.gravwell.datastore.webserver.http.Json;
import io.gravwell.datastore.webserver.http.Router;

/**
 * /health: always 200 while the process serves (a webserver without its datastore still works, in
 * degraded mode); the body says whether the datastore is reachable, when the last sync succeeded, and
 * which cluster identity the local copy last synced with.
 */
public final class HealthApi {
  private final WebserverSync sync;
  private final LocalStore store;
  private final String webserverId;
  private final String domain;

  public HealthApi(WebserverSync sync, LocalStore store, String webserverId, String domain) {
    this.sync = sync;
    this.store = store;
    this.webserverId = webserverId;
    this.domain = domain;
  }

  public void register(Router router) {
    router.add("GET", "/health", r -> ApiResponse.ok(report()));
  }

  private ObjectNode report() {
    ObjectNode out = Json.MAPPER.createObjectNode();
    out.put("webserver_uuid", webserverId).put("domain", domain);
    out.put("datastore_available", sync.isDatastoreAvailable());
    long last = sync.agent().lastSuccessMillis();
    if (last < 0) {
      out.putNull("last_successful_sync_ms");
    } else {
      out.put("last_successful_sync_ms", last);
    }
    SyncOutcome outcome = sync.agent().lastOutcome();
    out.put("last_sync_outcome", outcome == null ? null : outcome.name());
    ObjectNode identity = out.putObject("identity");
    store.checkpoint().ifPresentOrElse(c -> identity.put("cluster_id", c.clusterId())
        .put("incarnation", c.incarnation()).put("revision", c.revision()), () -> out.putNull("identity"));
    // Records include local tombstones; counting them is O(1), unlike listing every payload.
    out.put("local_records", store.read(LocalReader::count)).put("pending_changes", store.dirtyCount());
    SyncCounters c = sync.agent().counters();
    out.putObject("counters").put("cycles", c.cycles()).put("failed_cycles", c.failedCycles())
        .put("reseeds", c.reseeds()).put("conflicts_lost", c.conflictsLost()).put("pushed", c.pushed())
        .put("pulled", c.pulled()).put("deleted_by_datastore", c.deletedByDatastore());
    return out;
  }
}
