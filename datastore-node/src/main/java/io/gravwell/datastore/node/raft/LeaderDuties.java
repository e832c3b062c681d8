package io.gravwell.datastore.node.raft;

import io.gravwell.datastore.statemachine.DatastoreStateMachine;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Work only the leader proposes: the cluster identity of a new group, and periodic tombstone compaction.
 * Both are ordinary log entries whose apply is deterministic; proposing them twice (two leaders in quick
 * succession) is harmless because apply keeps the first identity and compaction is idempotent.
 */
public final class LeaderDuties implements AutoCloseable {
  /** The registry kind webservers heartbeat into; its stale entries expire at compaction. */
  public static final String WEBSERVER_KIND = "webserver";
  private static final Logger LOG = LoggerFactory.getLogger(LeaderDuties.class);

  private final RaftGateway raft;
  private final DatastoreStateMachine stateMachine;
  private final Clock clock;
  private final Random random;
  private final Duration tombstoneRetention;
  private final Duration webserverExpiry;
  private final AtomicBoolean identityInFlight = new AtomicBoolean();
  private final ScheduledFuture<?> identityTask;
  private final ScheduledFuture<?> compactionTask;

  public LeaderDuties(RaftGateway raft, DatastoreStateMachine stateMachine, ScheduledExecutorService timer,
      Clock clock, Random random, Duration tombstoneRetention, Duration compactionInterval,
      Duration webserverExpiry) {
    this.raft = raft;
    this.stateMachine = stateMachine;
    this.clock = clock;
    this.random = random;
    this.tombstoneRetention = tombstoneRetention;
    this.webserverExpiry = webserverExpiry;
    this.identityTask = timer.scheduleWithFixedDelay(this::ensureIdentity, 100, 100, TimeUnit.MILLISECONDS);
    long every = Math.max(1000, compactionInterval.toMillis());
    this.compactionTask = timer.scheduleWithFixedDelay(this::compact, every, every, TimeUnit.MILLISECONDS);
  }

  private void ensureIdentity() {
    if (stateMachine.hasIdentity()) {
      identityTask.cancel(false);
      return;
    }
    if (!raft.isLeader() || !identityInFlight.compareAndSet(false, true)) {
      return;
    }
    raft.write(stateMachine.proposeIdentityFor(random, clock.millis())).whenComplete((r, e) -> {
      identityInFlight.set(false);
      if (e != null) {
        LOG.info("proposing the cluster identity failed, will retry: {}", e.toString());
      } else {
        LOG.info("cluster identity is {} (incarnation {})", r.getIdentity().getClusterId(), r.getIdentity().getIncarnation());
      }
    });
  }

  /** Runs one compaction now if this node leads; also used by tests and the admin path. */
  public void compact() {
    if (!raft.isLeader() || !stateMachine.hasIdentity()) {
      return;
    }
    raft.write(DatastoreStateMachine.compactEntry(clock.millis(), tombstoneRetention,
        Map.of(WEBSERVER_KIND, webserverExpiry))).whenComplete((r, e) -> {
      if (e != null) {
        LOG.warn("tombstone compaction failed: {}", e.toString());
      } else if (r.getCompact().getRemoved() > 0 || r.getCompact().getExpired() > 0) {
        LOG.info("compacted {} tombstones (compaction revision now {}); expired {} silent webservers",
            r.getCompact().getRemoved(), r.getCompact().getCompactRevision(), r.getCompact().getExpired());
      }
    });
  }

  @Override
  public void close() {
    identityTask.cancel(false);
    compactionTask.cancel(false);
  }
}
