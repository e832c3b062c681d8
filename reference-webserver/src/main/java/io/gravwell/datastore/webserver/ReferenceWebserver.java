package io.gravwell.datastore.webserver;

import io.gravwell.datastore.client.WebserverSync;
import io.gravwell.datastore.client.cluster.ClusterClient;
import io.gravwell.datastore.client.cluster.ClusterClientSettings;
import io.gravwell.datastore.client.store.XodusLocalStore;
import io.gravwell.datastore.client.sync.SyncListener;
import io.gravwell.datastore.client.sync.SyncSettings;
import io.gravwell.datastore.config.HostAndPort;
import io.gravwell.datastore.webserver.api.HealthApi;
import io.gravwell.datastore.webserver.api.MetricsApi;
import io.gravwell.datastore.webserver.api.ObjectApi;
import io.gravwell.datastore.webserver.api.OrphanChunkJanitor;
import io.gravwell.datastore.webserver.api.PreferencesApi;
import io.gravwell.datastore.webserver.api.ResourcesApi;
import io.gravwell.datastore.webserver.api.SearchHistoryApi;
import io.gravwell.datastore.webserver.api.WebserversApi;
import io.gravwell.datastore.webserver.http.ApiServer;
import io.gravwell.datastore.webserver.http.Router;
import io.gravwell.datastore.webserver.metrics.SyncMetrics;
import io.gravwell.datastore.webserver.metrics.WebserverMetrics;
import io.gravwell.datastore.webserver.registry.Heartbeat;
import io.gravwell.datastore.webserver.registry.LiveWebservers;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reference webserver: a local store, the sync library over the real cluster client, a heartbeat
 * into the registry, and the REST API. Embeddable: tests start several in one JVM, each with its own
 * config (Web-Port=0 for a free port) and clock.
 */
public final class ReferenceWebserver implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ReferenceWebserver.class);

  private final WebserverConfig config;
  private final Clock clock;
  private XodusLocalStore store;
  private ClusterClient remote;
  private WebserverSync sync;
  private Heartbeat heartbeat;
  private ApiServer api;
  private WebserverMetrics metrics;
  private OrphanChunkJanitor janitor;

  public ReferenceWebserver(WebserverConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
  }

  /** Opens the local store, starts syncing and beating, then serves HTTP. Undoes what it did on failure. */
  public synchronized ReferenceWebserver start() throws IOException {
    if (api != null) {
      throw new IllegalStateException("already started");
    }
    String id = config.webserverUuid().toString();
    try {
      store = XodusLocalStore.open(config.dataDir());
      RandomGenerator random = new SecureRandom();
      remote = new ClusterClient(ClusterClientSettings.of(
          config.datastores().stream().map(HostAndPort::toString).toList(),
          config.datastoreSslContext(), config.controlAuth().reveal(), id), random);
      SyncSettings settings = SyncSettings.of(config.domain(), id).withUpdateInterval(config.updateInterval())
          .withTombstoneRetention(config.tombstoneRetention());
      sync = new WebserverSync(settings, remote, store, clock, random, SyncListener.NONE);
      metrics = new WebserverMetrics();
      SyncMetrics.bind(metrics.registry(), sync.agent(), store, remote::failovers, clock.millis());
      sync.start();
      heartbeat = new Heartbeat(sync, id, config.externalAddr().orElse(""), config.updateInterval());
      heartbeat.start();
      ResourcesApi resources = new ResourcesApi(sync, config.resourceMaxSize());
      janitor = new OrphanChunkJanitor(sync.content().orphanSweep(OrphanChunkJanitor.OWN_GRACE,
          OrphanChunkJanitor.OTHERS_GRACE), resources);
      janitor.start();
      ApiServer server = new ApiServer(config.webListenAddress(), config.webPort(), routes(resources));
      server.start();
      api = server;
    } catch (IOException | RuntimeException e) {
      stop();
      throw e;
    }
    LOG.info("webserver {} (domain {}) serving on {}:{}, datastore {}", id, config.domain(),
        config.webListenAddress(), api.port(), config.datastores());
    return this;
  }

  private Router routes(ResourcesApi resources) {
    Router r = new Router();
    new ObjectApi(sync, "user", "user").register(r, "/api/users");
    new ObjectApi(sync, "group", "group").register(r, "/api/groups");
    new ObjectApi(sync, "dashboard", "dashboard").register(r, "/api/dashboards");
    new PreferencesApi(sync).register(r);
    new SearchHistoryApi(sync, clock, config.maxSearchHistory()).register(r);
    resources.register(r);
    new WebserversApi(new LiveWebservers(sync, clock, config.updateInterval())).register(r);
    new HealthApi(sync, store, config.webserverUuid().toString(), config.domain()).register(r);
    new MetricsApi(metrics).register(r);
    return r;
  }

  /** The HTTP port actually bound (useful with Web-Port=0). */
  public synchronized int port() {
    if (api == null) {
      throw new IllegalStateException("not started");
    }
    return api.port();
  }

  public synchronized WebserverSync sync() {
    return sync;
  }

  public WebserverConfig config() {
    return config;
  }

  /**
   * Stops in the reverse order of start: no new requests, no new beats, the sync agent finishes its
   * cycle, and only then the connection and the store (which the agent may still be writing) close.
   */
  public synchronized void stop() {
    if (api != null) {
      api.stop();
      api = null;
    }
    if (metrics != null) {
      metrics.close();
      metrics = null;
    }
    if (janitor != null) {
      janitor.close();
      janitor = null;
    }
    if (heartbeat != null) {
      heartbeat.close();
      heartbeat = null;
    }
    if (sync != null) {
      sync.close();
      sync = null;
    }
    if (remote != null) {
      remote.close();
      remote = null;
    }
    if (store != null) {
      store.close();
      store = null;
    }
  }

  @Override
  public void close() {
    stop();
  }
}
