package io.gravwell.datastore.node.membership;

import io.gravwell.datastore.node.raft.RaftStatus;
import io.gravwell.datastore.node.raft.RaftStatus.MemberInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Whether a membership change keeps the cluster writable, judged from the leader's view. A voter counts
 * as healthy when it is the leader, or when it answered the leader within {@link #MAX_SILENCE_MS} and its
 * match index is within {@link #MAX_LAG_ENTRIES} of the commit index. A member being added counts as
 * healthy: Ratis holds the new configuration back until it has caught up, and if it never does the old
 * configuration stays in force. The change is refused when the healthy voters of the new configuration
 * would not be a majority of it, and when it removes the leader (transfer leadership first).
 */
public final class QuorumRule {
  public static final long MAX_SILENCE_MS = 3_000;
  public static final long MAX_LAG_ENTRIES = 1_000;

  private QuorumRule() {}

  /** Empty when the change is safe; otherwise why not and what to do, in one sentence. */
  public static Optional<String> check(RaftStatus leaderView, Set<String> votersAfter, Set<String> joining) {
    if (votersAfter.isEmpty()) {
      return Optional.of("the change would leave no voter at all");
    }
    String leader = leaderView.nodeId();
    if (!votersAfter.contains(leader)) {
      return Optional.of(leader + " is the leader: move leadership first (datastore transfer-leader --to ID),"
          + " then repeat the change");
    }
    List<String> unhealthy = new ArrayList<>();
    int healthy = 0;
    for (String id : votersAfter) {
      if (joining.contains(id)) {
        healthy++;
        continue;
      }
      Optional<MemberInfo> m = leaderView.member(id);
      Optional<String> problem = m.isEmpty() ? Optional.of(id + " is not a member")
          : problem(m.get(), leader, leaderView.commitIndex());
      if (problem.isEmpty()) {
        healthy++;
      } else {
        unhealthy.add(problem.get());
      }
    }
    int needed = votersAfter.size() / 2 + 1;
    if (healthy >= needed) {
      return Optional.empty();
    }
    return Optional.of("after the change " + healthy + " of " + votersAfter.size()
        + " voters would be up and caught up, fewer than the majority of " + needed + " (" + String.join("; ", unhealthy)
        + "): bring those members back first, or use --force if they are gone for good");
  }

  /** Why a member does not count as up and caught up, if it does not. */
  static Optional<String> problem(MemberInfo m, String leader, long commitIndex) {
    if (m.id().equals(leader)) {
      return Optional.empty();
    }
    if (m.lastResponseMs().isEmpty() || m.matchIndex().isEmpty()) {
      return Optional.of(m.id() + " has not answered the leader");
    }
    if (m.lastResponseMs().getAsLong() > MAX_SILENCE_MS) {
      return Optional.of(m.id() + " last answered " + m.lastResponseMs().getAsLong() + " ms ago");
    }
    long lag = commitIndex - m.matchIndex().getAsLong();
    if (lag > MAX_LAG_ENTRIES) {
      return Optional.of(m.id() + " is " + lag + " entries behind");
    }
    return Optional.empty();
  }
}
