package io.gravwell.datastore.node.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** Raft events Ratis pushes to the state machine; counted exactly, where polling would miss quick flaps. */
public final class RaftEvents {
  private final Counter leaderChanges;

  public RaftEvents(MeterRegistry registry) {
    leaderChanges = Counter.builder("datastore.raft.leader.changes")
        .description("Times this node saw a new leader elected (including the first election after start)")
        .register(registry);
  }

  void leaderChanged() {
    leaderChanges.increment();
  }
}
