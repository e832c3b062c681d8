package io.gravwell.datastore.webserver.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gravwell.datastore.client.WebserverSync;
import io.gravwell.datastore.protocol.v1.Acl;
import io.gravwell.datastore.webserver.api.StoredJson;
import io.gravwell.datastore.webserver.http.Json;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-writes this webserver's registry entry (kind {@code webserver}, id = Webserver-UUID) every
 * Datastore-Update-Interval. The facade stamps updated_ms with the webserver's clock, and that stamp is
 * what others read as "last seen": a timestamp carried in the entry, never a datastore node's clock.
 * A beat while the datastore is away is queued like any change; the newest one wins when it returns.
 */
public final class Heartbeat implements AutoCloseable {
  public static final String KIND = "webserver";
  private static final Logger LOG = LoggerFactory.getLogger(Heartbeat.class);

  private final WebserverSync sync;
  private final String webserverId;
  private final String externalAddr;
  private final Duration interval;
  private ScheduledExecutorService timer;

  public Heartbeat(WebserverSync sync, String webserverId, String externalAddr, Duration interval) {
    this.sync = sync;
    this.webserverId = webserverId;
    this.externalAddr = externalAddr;
    this.interval = interval;
  }

  public synchronized void start() {
    timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "heartbeat-" + webserverId);
      t.setDaemon(true);
      return t;
    });
    timer.scheduleWithFixedDelay(this::beat, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** One beat now; public so that a test with an injected clock can beat without waiting. */
  public void beat() {
    try {
      ObjectNode entry = Json.MAPPER.createObjectNode().put("id", webserverId).put("external_addr", externalAddr);
      sync.put(KIND, webserverId, StoredJson.payload(entry), Acl.newBuilder().setGlobal(true).build());
    } catch (RuntimeException e) {
      // Keep beating: a failed local write now says nothing about the next one.
      LOG.warn("heartbeat failed; trying again in {}", interval, e);
    }
  }

  @Override
  public synchronized void close() {
    if (timer != null) {
      timer.shutdown();
      try {
        timer.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      timer = null;
    }
  }
}
