package io.gravwell.datastore.client.sync;

import io.gravwell.datastore.client.RemoteDatastore;
import io.gravwell.datastore.client.store.LocalReader;
import io.gravwell.datastore.client.store.LocalStore;
import io.gravwell.datastore.client.store.SyncCheckpoint;
import io.gravwell.datastore.protocol.client.DatastoreException;
import io.gravwell.datastore.protocol.v1.Identity;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one webserver's local store in sync with the datastore cluster: {@link #syncOnce()} is one
 * cycle (see {@link SyncCycle}); {@link #start()} runs cycles on one thread every Datastore-Update-Interval,
 * and at once when the datastore's watch stream rings or a local change is made (coalesced).
 *
 * <p>While the datastore is unreachable, local changes stay dirty in the store and go out with the next
 * cycle that reaches it; {@link #isDatastoreAvailable()} tells the app, which refuses deletes and user or
 * group administration meanwhile.
 *
 * <p>The agent does not own the remote or the store: the caller closes them after {@link #close()}.
 */
public final class SyncAgent implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SyncAgent.class);
  /** How often remembered deletes past the retention are looked for (a scan of the local store). */
  static final Duration FORGET_PERIOD = Duration.ofHours(1);

  private final SyncSettings settings;
  private final RemoteDatastore remote;
  private final LocalStore store;
  private final Clock clock;
  private final RandomGenerator random;
  private final SyncListener listener;
  private final SyncCounters counters = new SyncCounters();
  // One cycle at a time, whether from the sync thread or a caller of syncOnce().
  private final ReentrantLock cycleLock = new ReentrantLock();
  private final AtomicBoolean syncRequested = new AtomicBoolean();

  // Unknown counts as unavailable: until the datastore has answered once, deletes are refused.
  private volatile boolean available;
  private volatile long lastSuccessMs = -1;
  private volatile long knownRevision = -1;
  // The newest change the watch announced; a cycle must not settle for a node that has not applied it.
  private final AtomicReference<Identity> heard = new AtomicReference<>(Identity.getDefaultInstance());
  // The newest identity any answer or ring carried, in the newest history: the app's sync-lag metric.
  private final AtomicReference<Identity> seen = new AtomicReference<>(Identity.getDefaultInstance());
  private volatile SyncOutcome lastOutcome;
  private Reseed lastReseed; // guarded by cycleLock
  private long nextForgetMs; // guarded by cycleLock; 0: at the first successful cycle

  private ScheduledExecutorService executor; // guarded by this
  private AutoCloseable watch; // guarded by this
  private boolean closed; // guarded by this

  public SyncAgent(SyncSettings settings, RemoteDatastore remote, LocalStore store, Clock clock,
      RandomGenerator random, SyncListener listener) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.remote = Objects.requireNonNull(remote, "remote");
    this.store = Objects.requireNonNull(store, "store");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.random = Objects.requireNonNull(random, "random");
    this.listener = listener == null ? SyncListener.NONE : listener;
  }

  public SyncSettings settings() {
    return settings;
  }

  public SyncCounters counters() {
    return counters;
  }

  /** Whether the last contact with the datastore succeeded (a ping answered with a cluster identity). */
  public boolean isDatastoreAvailable() {
    return available;
  }

  /** The clock's time of the last cycle that completed against the datastore; -1 if none yet. */
  public long lastSuccessMillis() {
    return lastSuccessMs;
  }

  public SyncOutcome lastOutcome() {
    return lastOutcome;
  }

  /**
   * The newest cluster revision this agent has heard of (pings and watch rings), with its identity; the
   * default instance (empty cluster id) until the datastore has answered. Compared with the checkpoint it
   * says how far behind the local copy is.
   */
  public Identity newestSeen() {
    return seen.get();
  }

  // ---- one cycle -------------------------------------------------------------------------------------

  /**
   * Runs one cycle now, on the calling thread (waiting for a cycle already running). Never throws for
   * the datastore's sake: an unreachable datastore is {@link SyncOutcome#UNAVAILABLE}, an error answer
   * {@link SyncOutcome#ABORTED}. A local store failure does throw.
   */
  public SyncOutcome syncOnce() {
    cycleLock.lock();
    try {
      counters.cycles.incrementAndGet();
      SyncOutcome outcome = runCycle();
      lastOutcome = outcome;
      counters.countOutcome(outcome);
      switch (outcome) {
        case UNAVAILABLE, WAITING, ABORTED -> counters.failedCycles.incrementAndGet();
        default -> {
          lastSuccessMs = clock.millis();
          knownRevision = store.read(LocalReader::checkpoint).map(SyncCheckpoint::revision).orElse(-1L);
          forgetOldDeletes();
        }
      }
      return outcome;
    } finally {
      cycleLock.unlock();
    }
  }

  /**
   * Only after a successful cycle: a delete is forgotten once it is older than the retention, by which time
   * the datastore has compacted its own tombstone, and this webserver has just confirmed it still talks to
   * the history that holds it.
   */
  private void forgetOldDeletes() {
    long now = clock.millis();
    if (settings.tombstoneRetention().isZero() || now < nextForgetMs) {
      return;
    }
    nextForgetMs = now + FORGET_PERIOD.toMillis();
    int forgotten = RememberedDeletes.forgetBefore(store, settings.domain(),
        now - settings.tombstoneRetention().toMillis());
    counters.deletesForgotten.addAndGet(forgotten);
    if (forgotten > 0) {
      LOG.info("forgot {} deletes older than the tombstone retention ({})", forgotten,
          settings.tombstoneRetention());
    }
  }

  private SyncOutcome runCycle() {
    SyncCycle.Context ctx = new SyncCycle.Context(
        settings, remote, store, counters, listener, this::announceReseed, this::datastoreAnswered, heard::get);
    try {
      SyncOutcome outcome = new SyncCycle(ctx).run();
      if (outcome == SyncOutcome.WAITING) {
        setAvailable(false, "the datastore has not committed a cluster identity yet");
      }
      return outcome;
    } catch (DatastoreException e) {
      switch (e.code()) {
        case UNAVAILABLE, TIMEOUT, CLUSTER_INITIALIZING -> {
          setAvailable(false, e.getMessage());
          return SyncOutcome.UNAVAILABLE;
        }
        default -> {
          LOG.warn("sync cycle stopped on a datastore error (nothing deleted; retried next cycle): {}", e.getMessage());
          return SyncOutcome.ABORTED;
        }
      }
    } catch (IdentityShiftedException e) {
      LOG.warn("sync cycle stopped (nothing deleted; the next cycle checks the identity again): {}", e.getMessage());
      return SyncOutcome.ABORTED;
    }
  }

  private void datastoreAnswered(Identity identity) {
    seen.accumulateAndGet(identity, RungRevision::later);
    setAvailable(true, "cluster " + identity.getClusterId() + " answered");
  }

  private void setAvailable(boolean now, String why) {
    if (available == now) {
      return;
    }
    available = now;
    if (now) {
      LOG.info("datastore reachable again ({}); queued local changes are being pushed", why);
    } else {
      LOG.warn("datastore unavailable ({}); local changes are queued, deletes and user/group changes refused", why);
    }
    try {
      listener.onAvailabilityChanged(now);
    } catch (RuntimeException e) {
      LOG.warn("sync listener failed on an availability change", e);
    }
  }

  /**
   * One WARN line and one count per identity transition, however many cycles it takes to finish (an
   * interrupted re-seed is resumed by the next cycle, which would otherwise announce it again).
   */
  private void announceReseed(Reseed reseed) {
    if (reseed.sameTransition(lastReseed)) {
      LOG.info("resuming the re-seed of cluster {} incarnation {}", reseed.now().getClusterId(),
          reseed.now().getIncarnation());
      return;
    }
    lastReseed = reseed;
    LOG.warn(reseed.describe(store.read(LocalReader::count)));
    counters.reseeds.incrementAndGet();
    try {
      listener.onReseed(reseed);
    } catch (RuntimeException e) {
      LOG.warn("sync listener failed on a re-seed", e);
    }
  }

  // ---- scheduling ------------------------------------------------------------------------------------

  /**
   * Starts syncing in the background: a cycle at once, then every Datastore-Update-Interval (the first
   * period stretched by a random fraction of up to a tenth, so a fleet restarted together does not poll
   * in lock step), plus a cycle whenever {@link #requestSync()} is called or the watch stream rings.
   */
  public synchronized void start() {
    if (closed) {
      throw new IllegalStateException("sync agent is closed");
    }
    if (executor != null) {
      return;
    }
    ScheduledThreadPoolExecutor ex = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "datastore-sync-" + settings.origin());
      t.setDaemon(true);
      return t;
    });
    // After close() nothing queued may start: the caller closes the remote and the store next.
    ex.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    ex.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
    executor = ex;
    long intervalMs = settings.updateInterval().toMillis();
    long jitterMs = random.nextLong(intervalMs / 10 + 1);
    executor.scheduleWithFixedDelay(this::backgroundCycle, intervalMs + jitterMs, intervalMs, TimeUnit.MILLISECONDS);
    requestSync();
  }

  /** Asks for a cycle soon on the sync thread; requests made while one is pending become one cycle. */
  public void requestSync() {
    ScheduledExecutorService ex;
    synchronized (this) {
      ex = executor;
    }
    if (ex == null || !syncRequested.compareAndSet(false, true)) {
      return;
    }
    try {
      ex.execute(() -> {
        syncRequested.set(false);
        backgroundCycle();
      });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      syncRequested.set(false); // closing
    }
  }

  private void backgroundCycle() {
    try {
      SyncOutcome outcome = syncOnce();
      if (outcome == SyncOutcome.UNAVAILABLE) {
        closeWatch();
      } else if (available) {
        openWatch();
      }
    } catch (RuntimeException e) {
      // A local store failure: log and keep the schedule alive; the next cycle tries again.
      LOG.error("sync cycle failed", e);
    }
  }

  /** The watch is a doorbell: a ring above what we have pulled asks for a cycle. Best effort. */
  private synchronized void openWatch() {
    if (watch != null || closed) {
      return;
    }
    try {
      watch = remote.watch(Math.max(0, knownRevision), rung -> {
        heard.accumulateAndGet(rung, RungRevision::later);
        seen.accumulateAndGet(rung, RungRevision::later);
        if (rung.getRevision() > knownRevision) {
          requestSync();
        }
      });
    } catch (DatastoreException e) {
      LOG.debug("could not open the watch stream; polling only until the next cycle: {}", e.getMessage());
    }
  }

  private synchronized void closeWatch() {
    if (watch == null) {
      return;
    }
    try {
      watch.close();
    } catch (Exception e) {
      LOG.debug("closing the watch stream failed", e);
    }
    watch = null;
  }

  /** Stops the background cycles (waiting for a running one) and the watch stream. */
  @Override
  public void close() {
    ScheduledExecutorService ex;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      ex = executor;
      executor = null;
    }
    closeWatch();
    if (ex != null) {
      // Not shutdownNow(): interrupting a cycle inside a Xodus write would close its file channel
      // (ClosedByInterruptException). A running cycle is left to finish.
      ex.shutdown();
      try {
        if (!ex.awaitTermination(30, TimeUnit.SECONDS)) {
          LOG.warn("sync thread did not stop within 30 s");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
