package io.gravwell.datastore.node.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gravwell.datastore.node.cluster.Cli;
import io.gravwell.datastore.node.cluster.LocalCluster;
import io.gravwell.datastore.node.cluster.Requests;
import io.gravwell.datastore.protocol.client.DatastoreConnection;
import io.gravwell.datastore.protocol.v1.Outcome;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --force overrides the safety rule: removing the leader itself goes through and a new leader takes over. */
class ForceTest {
  @TempDir
  Path dir;

  @Test
  void forcedRemovalOfTheLeaderElectsAnotherAndKeepsWriting() {
    try (LocalCluster cluster = LocalCluster.builder(dir).size(3).start()) {
      int leader = stableLeader(cluster);
      int other = (leader + 1) % 3;
      Cli.Result refused = Cli.run("remove-node", cluster.nodeId(leader), "-c", cluster.writeConfig(other).toString());
      assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(1);

      Cli.Result forced = Cli.run("remove-node", cluster.nodeId(leader), "--force", "-c",
          cluster.writeConfig(other).toString());
      assertThat(forced.exitCode()).as(forced.toString()).isZero();
      assertThat(forced.out()).contains("removed " + cluster.nodeId(leader));
      cluster.stop(leader);

      int next = cluster.awaitLeader();
      assertThat(next).isNotEqualTo(leader);
      assertThat(cluster.node(next).raft().status().members()).hasSize(2);
      try (DatastoreConnection conn = cluster.connect(other)) {
        assertThat(conn.call(Requests.put("k", "after", "v")).join().getWrite().getResults(0).getOutcome())
            .isEqualTo(Outcome.APPLIED);
      }
    }
  }

  /** A leader that has served a write and still leads: the first election's churn is over. */
  static int stableLeader(LocalCluster cluster) {
    int[] leader = new int[1];
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      int before = cluster.awaitLeader();
      try (DatastoreConnection conn = cluster.connect(before)) {
        conn.call(Requests.put("k", "settle", "v")).join();
      }
      leader[0] = cluster.awaitLeader();
      return leader[0] == before;
    });
    return leader[0];
  }
}
