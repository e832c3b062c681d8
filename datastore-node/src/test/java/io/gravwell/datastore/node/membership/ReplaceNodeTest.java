package io.gravwell.datastore.node.membership;

import static io.gravwell.datastore.node.membership.GrowShrinkTest.awaitAcked;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gravwell.datastore.node.cluster.AckedWriters;
import io.gravwell.datastore.node.cluster.Cli;
import io.gravwell.datastore.node.cluster.LocalCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArraySet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runbooks "Replace a dead node" and "Lose one node's disk": a follower dies and loses its data
 * directory; it comes back empty in join mode at the same address and `replace-node` swaps it in; then
 * another dead member is replaced by a new node at a new address. Writers run throughout, and every
 * acknowledged write is read back from every member at the end.
 */
class ReplaceNodeTest {
  private static final Logger LOG = LoggerFactory.getLogger(ReplaceNodeTest.class);

  @TempDir
  Path dir;

  @Test
  void replaceAWipedNodeAtTheSameAddressThenADeadNodeWithANewOne() {
    try (LocalCluster cluster = LocalCluster.builder(dir).size(3).key("Datastore-Snapshot-Threshold", "200").start()) {
      int leader = cluster.awaitLeader();
      Set<Integer> members = new CopyOnWriteArraySet<>(List.of(0, 1, 2));
      try (AckedWriters writers = new AckedWriters(cluster, 2, () -> new ArrayList<>(members))) {
        awaitAcked(writers, 300);

        // Same address, wiped disk.
        int wiped = (leader + 1) % 3;
        members.remove(wiped);
        cluster.stop(wiped);
        cluster.wipe(wiped);
        assertThat(Files.exists(cluster.dataDir(wiped))).isFalse();
        awaitAcked(writers, writers.ackedCount() + 200);
        String config = cluster.writeConfig(leader).toString();
        CompletableFuture<Cli.Result> replacing = CompletableFuture.supplyAsync(() -> Cli.run("replace-node",
            cluster.nodeId(wiped), "--with", cluster.peerSpec(wiped), "-c", config));
        // The command removes the old copy first, then waits for the empty node: start it when it is out.
        await().atMost(Duration.ofSeconds(60)).until(() -> cluster.node(cluster.awaitLeader()).raft().status()
            .member(cluster.nodeId(wiped)).isEmpty());
        cluster.startJoining(wiped);
        Cli.Result same = replacing.join();
        assertThat(same.exitCode()).as(same.toString()).isZero();
        assertThat(same.out()).contains("step 1 of 2: removed " + cluster.nodeId(wiped));
        assertThat(same.err()).contains("waiting for " + cluster.nodeId(wiped)).contains("catching up");
        assertThat(same.out()).contains("replaced " + cluster.nodeId(wiped) + " with " + cluster.nodeId(wiped));
        members.add(wiped);
        awaitCaughtUp(cluster, wiped);
        awaitAcked(writers, writers.ackedCount() + 200);

        // A dead member replaced by a new node at a new address.
        int dead = (cluster.awaitLeader() + 2) % 3;
        members.remove(dead);
        cluster.stop(dead);
        int fresh = cluster.addSlot();
        cluster.startJoining(fresh);
        int asked = cluster.awaitLeader();
        Cli.Result swap = Cli.run("replace-node", cluster.nodeId(dead), "--with", cluster.peerSpec(fresh),
            "-c", cluster.writeConfig(asked).toString());
        assertThat(swap.exitCode()).as(swap.toString()).isZero();
        assertThat(swap.err()).contains("catching up");
        members.add(fresh);
        awaitCaughtUp(cluster, fresh);
        awaitAcked(writers, writers.ackedCount() + 200);

        writers.stop();
        LOG.info("replace: {} writes acknowledged, {} retried, {} failed", writers.ackedCount(), writers.retries(),
            writers.failed());
        assertThat(writers.failures()).isEmpty();
        cluster.awaitLeader();
        List<String> expected = new ArrayList<>();
        members.forEach(i -> expected.add(cluster.nodeId(i)));
        for (int i : members) {
          // A joined node waits as a listener; as a member it must be a voter, or a failover could lack its vote.
          await().atMost(Duration.ofSeconds(10))
              .until(() -> List.of("LEADER", "FOLLOWER").contains(cluster.node(i).raft().status().role()));
          assertThat(cluster.node(i).raft().status().members()).extracting(m -> m.id())
              .containsExactlyInAnyOrderElementsOf(expected);
          writers.assertAllPresentOn(i);
        }
        Cli.Result status = Cli.run("status", "-c", cluster.writeConfig(fresh).toString());
        assertThat(status.exitCode()).as(status.toString()).isZero();
        assertThat(status.out()).contains(cluster.clientAddress(fresh)).doesNotContain(cluster.nodeId(dead) + " ");
      }
    }
  }

  static void awaitCaughtUp(LocalCluster cluster, int i) {
    await().atMost(Duration.ofSeconds(60)).until(() -> {
      int leader = cluster.awaitLeader();
      return cluster.node(i).raft().status().inConfiguration()
          && cluster.node(i).raft().appliedIndex() >= cluster.node(leader).raft().status().commitIndex() - 50;
    });
  }
}
