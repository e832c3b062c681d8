package io.gravwell.datastore.node.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.raftlog.RaftLog;

/**
 * This node's Raft facts as gauges. {@link #refresh()} reads the division once per poll (on the metrics
 * thread) and the gauges return the cached values, so a scrape never calls into Ratis.
 */
final class RaftMetrics {
  /** Reads the division; throws if the server is not running. */
  interface DivisionSource {
    RaftServer.Division get() throws java.io.IOException;
  }

  private static final RaftPeerRole[] ROLES = {
      RaftPeerRole.LEADER, RaftPeerRole.FOLLOWER, RaftPeerRole.CANDIDATE, RaftPeerRole.LISTENER};

  private final DivisionSource division;
  private final List<String> peers;
  private final String self;
  private final RatisMetricsBridge ratis;
  private final MultiGauge followerMatch;
  private final MultiGauge followerLag;
  private volatile Facts facts = Facts.NONE;

  private record Facts(RaftPeerRole role, long term, String leader, long commit, long applied, long lastLog,
      long logStart, boolean up) {
    static final Facts NONE = new Facts(null, 0, "", 0, 0, 0, 0, false);
  }

  RaftMetrics(MeterRegistry registry, DivisionSource division, String self, List<String> peers,
      RatisMetricsBridge ratis) {
    this.division = division;
    this.self = self;
    this.peers = List.copyOf(peers);
    this.ratis = ratis;
    Gauge.builder("datastore.raft.up", () -> facts.up() ? 1 : 0)
        .description("1 while this node's Raft division is running and readable").register(registry);
    Gauge.builder("datastore.raft.term", () -> facts.term())
        .description("Current Raft term as seen by this node").register(registry);
    for (RaftPeerRole role : ROLES) {
      Gauge.builder("datastore.raft.role", () -> facts.role() == role ? 1 : 0)
          .description("1 for this node's current Raft role, 0 for the others")
          .tag("role", role.name().toLowerCase(Locale.ROOT)).register(registry);
    }
    Gauge.builder("datastore.raft.leader.known", () -> facts.leader().isEmpty() ? 0 : 1)
        .description("1 if this node knows a leader").register(registry);
    for (String peer : this.peers) {
      // One series per configured member rather than a label with the leader's id: no series churn.
      Gauge.builder("datastore.raft.leader", () -> facts.leader().equals(peer) ? 1 : 0)
          .description("1 for the member this node believes is the leader")
          .tag("peer", peer).register(registry);
    }
    // The same rule as /health/ready, as a series, so alerts and dashboards need no HTTP probe.
    Gauge.builder("datastore.node.ready",
            () -> facts.up() && !facts.leader().isEmpty() && facts.applied() >= facts.commit() ? 1 : 0)
        .description("1 if this node knows a leader and has applied up to its commit index (as /health/ready)")
        .register(registry);
    Gauge.builder("datastore.raft.commit.index", () -> facts.commit())
        .description("Highest log index this node knows to be committed").register(registry);
    Gauge.builder("datastore.raft.applied.index", () -> facts.applied())
        .description("Highest log index Ratis has applied to this node's state machine").register(registry);
    Gauge.builder("datastore.raft.last.log.index", () -> facts.lastLog())
        .description("Highest index in this node's Raft log").register(registry);
    Gauge.builder("datastore.raft.log.start.index", () -> facts.logStart())
        .description("Lowest index still in this node's log (earlier ones live only in snapshots)")
        .register(registry);
    followerMatch = MultiGauge.builder("datastore.raft.follower.match.index")
        .description("On the leader: highest index known to be replicated on each follower").register(registry);
    followerLag = MultiGauge.builder("datastore.raft.follower.lag.entries")
        .description("On the leader: entries each follower is behind the leader's last log index")
        .register(registry);
  }

  void refresh() {
    Facts f;
    try {
      RaftServer.Division d = division.get();
      DivisionInfo info = d.getInfo();
      RaftLog log = d.getRaftLog();
      RaftPeerId leader = info.getLeaderId();
      f = new Facts(info.getCurrentRole(), info.getCurrentTerm(), leader == null ? "" : leader.toString(),
          log.getLastCommittedIndex(), info.getLastAppliedIndex(), log.getLastEntryTermIndex() == null
              ? RaftLog.INVALID_LOG_INDEX : log.getLastEntryTermIndex().getIndex(),
          log.getStartIndex(), info.isAlive());
    } catch (Exception e) {
      f = Facts.NONE;
    }
    facts = f;
    refreshFollowers(f);
  }

  /** Only the leader knows followers' match indexes; elsewhere the series are removed, not zeroed. */
  private void refreshFollowers(Facts f) {
    List<MultiGauge.Row<?>> match = new ArrayList<>();
    List<MultiGauge.Row<?>> lag = new ArrayList<>();
    if (f.role() == RaftPeerRole.LEADER) {
      for (String peer : peers) {
        if (peer.equals(self)) {
          continue;
        }
        OptionalLong m = ratis.followerMatchIndex(peer);
        if (m.isPresent()) {
          long matchIndex = m.getAsLong();
          match.add(MultiGauge.Row.of(Tags.of("peer", peer), matchIndex));
          lag.add(MultiGauge.Row.of(Tags.of("peer", peer), Math.max(0, f.lastLog() - matchIndex)));
        }
      }
    }
    followerMatch.register(match, true);
    followerLag.register(lag, true);
  }
}
