package io.gravwell.datastore.node.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** Raft events Ratis pushes to the state machine; counted exactly, where polling would miss quick flaps. */
public final class RaftEvents {
  private final Counter leaderChanges;
  private final Counter appendChainRestarts;
  private final Counter stuckFollowerTransfers;

  public RaftEvents(MeterRegistry registry) {
    leaderChanges = Counter.builder("datastore.raft.leader.changes")
        .description("Times this node saw a new leader elected (including the first election after start)")
        .register(registry);
    appendChainRestarts = Counter.builder("datastore.raft.append.chain.restarts")
        .description("Times a failed log append on this follower would have failed every later one and the"
            + " node restarted Ratis' append chain (AppendChainGuard); each is healed, a steady rise is not normal")
        .register(registry);
    stuckFollowerTransfers = Counter.builder("datastore.raft.stuck.follower.transfers")
        .description("Times this leader handed leadership on because a follower answered but could not catch up"
            + " (StuckFollowerGuard); each is one short election, a steady rise is not normal")
        .register(registry);
  }

  void leaderChanged() {
    leaderChanges.increment();
  }

  void appendChainRestarted() {
    appendChainRestarts.increment();
  }

  void stuckFollowerTransferred() {
    stuckFollowerTransfers.increment();
  }
}
