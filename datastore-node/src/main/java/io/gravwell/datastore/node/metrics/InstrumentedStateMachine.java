package io.gravwell.datastore.node.metrics;

import io.gravwell.datastore.statemachine.DatastoreStateMachine;
import io.gravwell.datastore.statemachine.StateMachineSettings;
import java.io.IOException;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.raftlog.RaftLog;

/**
 * The datastore state machine with two observation points Ratis already calls: snapshots (count, duration,
 * failures) and leader changes. A subclass rather than code in the state machine keeps metrics out of the
 * replicated logic; every override calls the real method and only records around it.
 */
public final class InstrumentedStateMachine extends DatastoreStateMachine {
  private final SnapshotMetrics snapshots;
  private final RaftEvents events;

  public InstrumentedStateMachine(StateMachineSettings settings, SnapshotMetrics snapshots, RaftEvents events) {
    super(settings);
    this.snapshots = snapshots;
    this.events = events;
  }

  @Override
  public long takeSnapshot() throws IOException {
    long start = System.nanoTime();
    try {
      long index = super.takeSnapshot();
      // INVALID_LOG_INDEX means "nothing new to snapshot", which is not a failure.
      if (index != RaftLog.INVALID_LOG_INDEX) {
        snapshots.taken(System.nanoTime() - start);
      }
      return index;
    } catch (IOException | RuntimeException e) {
      snapshots.failed();
      throw e;
    }
  }

  @Override
  public void notifyLeaderChanged(RaftGroupMemberId groupMemberId, RaftPeerId newLeaderId) {
    super.notifyLeaderChanged(groupMemberId, newLeaderId);
    events.leaderChanged();
  }
}
