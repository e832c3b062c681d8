package io.gravwell.datastore.node.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gravwell.datastore.node.cluster.AckedWriters;
import io.gravwell.datastore.node.cluster.Cli;
import io.gravwell.datastore.node.cluster.LocalCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runbook "Add and remove a node": grow 3 → 5 → 3 online with the command line while writers keep
 * writing, removing two of the founding members (the leader among them, after moving leadership), and
 * read every acknowledged write back linearizably from each remaining node.
 */
class GrowShrinkTest {
  private static final Logger LOG = LoggerFactory.getLogger(GrowShrinkTest.class);

  @TempDir
  Path dir;

  @Test
  void growToFiveAndBackToThreeUnderWritesLosesNothing() {
    try (LocalCluster cluster = LocalCluster.builder(dir).size(3)
        // Small snapshots so that new members are sent a snapshot, not just the log.
        .key("Datastore-Snapshot-Threshold", "200")
        .start()) {
      cluster.awaitLeader();
      Set<Integer> members = new CopyOnWriteArraySet<>(List.of(0, 1, 2));
      try (AckedWriters writers = new AckedWriters(cluster, 2, () -> new ArrayList<>(members))) {
        awaitAcked(writers, 300);

        for (int k = 0; k < 2; k++) {
          int slot = cluster.addSlot();
          cluster.startJoining(slot);
          Cli.Result add = Cli.run("add-node", cluster.peerSpec(slot), "-c", cluster.writeConfig(0).toString());
          assertThat(add.exitCode()).as(add.toString()).isZero();
          assertThat(add.out()).contains("added " + cluster.nodeId(slot));
          assertThat(add.err()).contains("catching up");
          members.add(slot);
          awaitAcked(writers, writers.ackedCount() + 200);
        }
        Cli.Result five = Cli.run("members", "-c", cluster.writeConfig(4).toString());
        assertThat(five.out().lines().filter(l -> l.matches("^n\\d .*"))).hasSize(5);
        assertThat(five.out()).contains(cluster.clientAddress(3)).contains(cluster.clientAddress(4));

        for (int gone : List.of(0, 1)) {
          int leader = cluster.awaitLeader();
          if (leader == gone) {
            Cli.Result moved = Cli.run("transfer-leader", "--to", cluster.nodeId(3), "-c", cluster.writeConfig(2).toString());
            assertThat(moved.exitCode()).as(moved.toString()).isZero();
          }
          members.remove(gone);
          Cli.Result remove = Cli.run("remove-node", cluster.nodeId(gone), "-c", cluster.writeConfig(2).toString());
          assertThat(remove.exitCode()).as(remove.toString()).isZero();
          cluster.stop(gone);
          awaitAcked(writers, writers.ackedCount() + 200);
        }
        writers.stop();
        LOG.info("grow/shrink: {} writes acknowledged, {} retried, {} failed", writers.ackedCount(),
            writers.retries(), writers.failed());
        assertThat(writers.failures()).isEmpty();
        cluster.awaitLeader();
        for (int i : List.of(2, 3, 4)) {
          writers.assertAllPresentOn(i);
          assertThat(cluster.node(i).raft().status().members()).extracting(m -> m.id())
              .containsExactlyInAnyOrder("n3", "n4", "n5");
        }
      }
    }
  }

  static void awaitAcked(AckedWriters writers, int count) {
    await().atMost(Duration.ofSeconds(60)).until(() -> writers.ackedCount() >= count);
  }
}
