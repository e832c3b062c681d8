package io.gravwell.datastore.webserver.api;

import io.gravwell.datastore.client.content.OrphanChunkSweep;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the orphan chunk sweep now and then, on its own thread: resource content left behind by a crash
 * mid-upload, or by a version that lost a conflict, would otherwise stay in every store for good.
 */
public final class OrphanChunkJanitor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OrphanChunkJanitor.class);

  /** This webserver's own leftovers: it knows its uploads in progress, so a short wait is enough. */
  public static final Duration OWN_GRACE = Duration.ofMinutes(15);
  /** Other webservers' chunks: their metadata may be queued behind an outage on their side. */
  public static final Duration OTHERS_GRACE = Duration.ofHours(24);
  public static final Duration EVERY = Duration.ofHours(1);

  private final OrphanChunkSweep sweep;
  private final ResourcesApi resources;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "orphan-chunk-janitor");
    t.setDaemon(true);
    return t;
  });

  public OrphanChunkJanitor(OrphanChunkSweep sweep, ResourcesApi resources) {
    this.sweep = sweep;
    this.resources = resources;
  }

  public void start() {
    timer.scheduleWithFixedDelay(this::runOnce, EVERY.toMillis(), EVERY.toMillis(), TimeUnit.MILLISECONDS);
  }

  void runOnce() {
    try {
      List<String> deleted = sweep.sweep(resources::currentVersion);
      if (!deleted.isEmpty()) {
        LOG.info("deleted {} orphaned resource content version(s): {}", deleted.size(), deleted);
      }
    } catch (RuntimeException e) {
      LOG.warn("orphan chunk sweep failed; next try in {}", EVERY, e);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
