package io.gravwell.datastore.node.raft;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.TransferLeadershipRequest;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On the leader, hands leadership on when a follower answers but cannot catch up ({@link StuckFollowerRule}
 * says when and to whom). Reads only Ratis' public division info; the transfer is Ratis' own admin request,
 * handed to this node's server in-process and answered asynchronously.
 */
public final class StuckFollowerGuard {
  private static final Logger LOG = LoggerFactory.getLogger(StuckFollowerGuard.class);
  static final Duration TRANSFER_TIMEOUT = Duration.ofSeconds(5);
  private static final AtomicLong CALL_IDS = new AtomicLong();

  private final RaftServer.Division division;
  private final Decider rule;
  private final LongSupplier clockMs;
  private final Runnable onTransfer;
  private final AtomicBoolean transferring = new AtomicBoolean();

  /** When to hand leadership on, and to whom: {@link StuckFollowerRule}; a test may decide by itself. */
  public interface Decider {
    Optional<StuckFollowerRule.Transfer> observe(StuckFollowerRule.Observation observation);

    void reset();
  }

  public StuckFollowerGuard(RaftServer.Division division, Decider rule, LongSupplier clockMs, Runnable onTransfer) {
    this.division = division;
    this.rule = rule;
    this.clockMs = clockMs;
    this.onTransfer = onTransfer;
  }

  /** One look; on the node's timer. Never throws: a guard must not stop the timer's other duties. */
  public void check() {
    try {
      DivisionInfo info = division.getInfo();
      if (!info.isLeader() || transferring.get()) {
        rule.reset();
        return;
      }
      followers(info).flatMap(followers -> rule.observe(new StuckFollowerRule.Observation(clockMs.getAsLong(),
              division.getRaftLog().getLastCommittedIndex(), division.getRaftLog().getStartIndex(), followers)))
          .ifPresent(this::transfer);
    } catch (RuntimeException e) {
      LOG.debug("stuck-follower check skipped: {}", e.toString());
    }
  }

  /** Empty while a configuration change makes Ratis' lists disagree (see {@link FollowerProgress}). */
  private Optional<List<StuckFollowerRule.Follower>> followers(DivisionInfo info) {
    Set<String> voters = division.getRaftConf().getCurrentPeers().stream()
        .map(p -> p.getId().toString()).collect(Collectors.toSet());
    return FollowerProgress.of(info)
        .map(all -> all.stream().map(f -> new StuckFollowerRule.Follower(f.id(), f.matchIndex(), f.nextIndex(),
            f.lastResponseMs(), voters.contains(f.id()))).toList());
  }

  private void transfer(StuckFollowerRule.Transfer t) {
    LOG.warn("follower {} is stuck ({}); handing leadership to {} so that a new leader starts from what {} holds",
        t.stuck(), t.reason(), t.target(), t.stuck());
    onTransfer.run();
    transferring.set(true);
    try {
      // In-process, as Ratis' admin client would ask: no client, no hop to this node's own port.
      division.getRaftServer().transferLeadershipAsync(new TransferLeadershipRequest(ClientId.randomId(),
              division.getId(), division.getGroup().getGroupId(), CALL_IDS.incrementAndGet(),
              RaftPeerId.valueOf(t.target()), TRANSFER_TIMEOUT.toMillis()))
          .whenComplete((reply, error) -> {
            transferring.set(false);
            if (error != null || !reply.isSuccess()) {
              LOG.warn("leadership transfer to {} failed: {}", t.target(), error != null ? error : reply.getException());
            }
          });
    } catch (IOException | RuntimeException e) {
      transferring.set(false);
      LOG.warn("leadership transfer to {} failed: {}", t.target(), e.toString());
    }
  }
}
