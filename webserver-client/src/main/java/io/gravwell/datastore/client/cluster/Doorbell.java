package io.gravwell.datastore.client.cluster;

import io.gravwell.datastore.protocol.client.DatastoreConnection;
import io.gravwell.datastore.protocol.client.DatastoreException;
import io.gravwell.datastore.protocol.v1.Identity;
import io.gravwell.datastore.protocol.v1.Request;
import io.gravwell.datastore.protocol.v1.Response;
import io.gravwell.datastore.protocol.v1.Watch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A push stream kept open on its own connection: every WatchEvent rings {@code onChange}. When the
 * connection drops it reconnects (to any node) with a growing back-off and asks again from the last
 * revision it heard, so a missed event at worst delays a change to the next periodic sync.
 */
final class Doorbell implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Doorbell.class);
  private static final long MAX_BACKOFF_MS = 2000;

  private final ClusterClient client;
  private final Consumer<Identity> onChange;
  private final AtomicLong heard;
  private final ScheduledExecutorService timer;
  private volatile DatastoreConnection connection;
  private volatile boolean closed;
  private long backoffMs = 50;

  Doorbell(ClusterClient client, long afterRevision, Consumer<Identity> onChange) {
    this.client = client;
    this.onChange = onChange;
    this.heard = new AtomicLong(afterRevision);
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "datastore-watch");
      t.setDaemon(true);
      return t;
    });
    timer.execute(this::open);
  }

  private void open() {
    if (closed || client.isClosed()) {
      return;
    }
    try {
      DatastoreConnection conn = client.connectAny(null);
      connection = conn;
      conn.stream(Request.newBuilder().setWatch(Watch.newBuilder().setAfterRevision(heard.get())), this::ring);
      backoffMs = 50;
      conn.closeFuture().thenRun(() -> {
        if (!closed) {
          timer.schedule(this::open, 0, TimeUnit.MILLISECONDS);
        }
      });
    } catch (DatastoreException e) {
      LOG.debug("watch stream cannot connect, retrying in {} ms: {}", backoffMs, e.getMessage());
      timer.schedule(this::open, backoffMs, TimeUnit.MILLISECONDS);
      backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
    }
  }

  private void ring(Response event) {
    if (!event.hasWatchEvent()) {
      return;
    }
    long revision = event.getWatchEvent().getRevision();
    heard.accumulateAndGet(revision, Math::max);
    try {
      onChange.accept(event.getIdentity().toBuilder().setRevision(revision).build());
    } catch (RuntimeException e) {
      LOG.warn("watch listener failed", e);
    }
  }

  @Override
  public void close() {
    closed = true;
    ClusterClient.closeQuietly(connection);
    timer.shutdownNow();
  }
}
