package io.gravwell.datastore.node.raft;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides, on the leader, when a follower is stuck in a way only a new leader can undo, and to whom to hand
 * leadership. Pure: the time and every figure come in with each {@link Observation}.
 *
 * <p>Why: Ratis 3.3.0's leader never sends a follower entries below its recorded match index + 1
 * ({@code LogAppenderBase.getNextIndexForInconsistency}). If that match index is higher than what the
 * follower holds (seen once after a node was replaced: match 925, follower log ending at 916; reliability.md),
 * every append fails INCONSISTENCY and the follower never catches up, while it keeps answering. A new
 * leader starts with fresh follower state and backs off to where the follower really is.
 *
 * <p>Stuck means all of: the follower answered recently (a silent one is down or cut off, which a new
 * leader does not fix); its match index has not moved for {@code stuckAfterMs}; the leader has committed
 * entries past it; and those entries are still in the leader's log (otherwise Ratis sends a snapshot, which
 * may legitimately take long). At most one transfer per {@code minIntervalMs}, so a follower that is stuck
 * for another reason (a full disk) costs one short election now and then, not a leader change a second.
 */
public final class StuckFollowerRule implements StuckFollowerGuard.Decider {

  /** What the leader knows about one follower. {@code lastResponseMs}: ms since it last answered. */
  public record Follower(String id, long matchIndex, long nextIndex, long lastResponseMs, boolean voter) {}

  /** One look at the leader's state. */
  public record Observation(long nowMs, long commitIndex, long logStartIndex, List<Follower> followers) {}

  /** Leadership should go to {@code target} because {@code stuck} does not progress. */
  public record Transfer(String stuck, String target, String reason) {}

  private record Progress(long matchIndex, long sinceMs) {}

  private final long stuckAfterMs;
  private final long answeredWithinMs;
  private final long minIntervalMs;
  private final Map<String, Progress> progress = new HashMap<>();
  private long lastTransferMs = Long.MIN_VALUE;

  public StuckFollowerRule(long stuckAfterMs, long answeredWithinMs, long minIntervalMs) {
    this.stuckAfterMs = stuckAfterMs;
    this.answeredWithinMs = answeredWithinMs;
    this.minIntervalMs = minIntervalMs;
  }

  /** Not the leader (any more): what was observed belongs to a leadership that is over. */
  @Override
  public void reset() {
    progress.clear();
  }

  @Override
  public Optional<Transfer> observe(Observation o) {
    Map<String, Progress> seen = new HashMap<>();
    Follower stuck = null;
    long stuckForMs = 0;
    for (Follower f : o.followers()) {
      Progress before = progress.get(f.id());
      Progress now = before != null && before.matchIndex() == f.matchIndex() ? before : new Progress(f.matchIndex(), o.nowMs());
      seen.put(f.id(), now);
      long still = o.nowMs() - now.sinceMs();
      if (still >= stuckAfterMs && f.lastResponseMs() <= answeredWithinMs && o.commitIndex() > f.matchIndex()
          && f.nextIndex() > o.logStartIndex() && (stuck == null || still > stuckForMs)) {
        stuck = f;
        stuckForMs = still;
      }
    }
    progress.clear();
    progress.putAll(seen);
    if (stuck == null || (lastTransferMs != Long.MIN_VALUE && o.nowMs() - lastTransferMs < minIntervalMs)) {
      return Optional.empty();
    }
    String stuckId = stuck.id();
    Optional<Follower> target = o.followers().stream()
        .filter(f -> f.voter() && !f.id().equals(stuckId) && f.lastResponseMs() <= answeredWithinMs)
        .max(Comparator.comparingLong(Follower::matchIndex));
    if (target.isEmpty()) {
      return Optional.empty();
    }
    lastTransferMs = o.nowMs();
    progress.clear();
    return Optional.of(new Transfer(stuckId, target.get().id(), stuckId + " answers but its match index has stayed at "
        + stuck.matchIndex() + " for " + stuckForMs + " ms while the leader committed " + o.commitIndex()
        + " (next index " + stuck.nextIndex() + ", log starts at " + o.logStartIndex() + ")"));
  }
}
