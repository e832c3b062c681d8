package io.gravwell.datastore.node.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gravwell.datastore.node.cluster.LocalCluster;
import io.gravwell.datastore.node.raft.StuckFollowerRule.Observation;
import io.gravwell.datastore.node.raft.StuckFollowerRule.Transfer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.ratis.server.RaftServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guard's wiring on a real 3-node cluster: what it reads from the leader's division reaches the rule, and a
 * decision moves leadership to the chosen follower through Ratis' own transfer. When to decide is
 * {@link StuckFollowerRuleTest}'s subject; here the decision is made on the first look. (The stuck state of
 * the CI run could not be made on purpose in time: with a wrong match index set by hand, Ratis backed off as
 * soon as a failed append started at match index + 1.)
 */
class StuckFollowerGuardTest {
  @TempDir Path dir;

  @Test
  void aDecisionHandsLeadershipToTheChosenFollower() throws Exception {
    try (LocalCluster cluster = LocalCluster.builder(dir).start()) {
      int leader = cluster.awaitLeader();
      int target = (leader + 2) % 3;
      RaftServer.Division division = cluster.node(leader).raft().raftDivision();
      List<Observation> seen = new ArrayList<>();
      AtomicInteger transfers = new AtomicInteger();
      StuckFollowerGuard guard = new StuckFollowerGuard(division, new StuckFollowerGuard.Decider() {
        @Override
        public Optional<Transfer> observe(Observation o) {
          seen.add(o);
          return seen.size() == 1
              ? Optional.of(new Transfer(cluster.nodeId((leader + 1) % 3), cluster.nodeId(target), "test"))
              : Optional.empty();
        }

        @Override
        public void reset() {}
      }, System::currentTimeMillis, transfers::incrementAndGet);

      guard.check();

      assertThat(seen).hasSize(1);
      Observation o = seen.get(0);
      assertThat(o.followers()).extracting(StuckFollowerRule.Follower::id)
          .containsExactlyInAnyOrder(cluster.nodeId((leader + 1) % 3), cluster.nodeId(target));
      assertThat(o.followers()).allSatisfy(f -> {
        assertThat(f.voter()).isTrue();
        assertThat(f.lastResponseMs()).isLessThan(3_000);
      });
      assertThat(o.commitIndex()).isPositive();
      assertThat(transfers.get()).isEqualTo(1);
      await().atMost(Duration.ofSeconds(15)).until(() -> cluster.currentLeader().orElse(-1) == target);
      // No longer the leader: the guard only forgets.
      await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
        guard.check();
        assertThat(seen).hasSize(1);
      });
    }
  }
}
