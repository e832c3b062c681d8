package io.gravwell.datastore.node.membership;

import static io.gravwell.datastore.node.membership.GrowShrinkTest.awaitAcked;
import static io.gravwell.datastore.node.membership.ReplaceNodeTest.awaitCaughtUp;
import static org.assertj.core.api.Assertions.assertThat;

import io.gravwell.datastore.node.cluster.AckedWriters;
import io.gravwell.datastore.node.cluster.Cli;
import io.gravwell.datastore.node.cluster.LocalCluster;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runbook "Upgrade one node at a time": restart every node in turn under writes, moving leadership away
 * before the leader's turn, waiting for each to catch up before the next. Writers retry on UNAVAILABLE,
 * TIMEOUT and broken connections; no write may fail for good and every acknowledged one must be there.
 */
class RollingRestartTest {
  private static final Logger LOG = LoggerFactory.getLogger(RollingRestartTest.class);

  @TempDir
  Path dir;

  @Test
  void rollingRestartUnderWritesLosesNoAcknowledgedWrite() {
    try (LocalCluster cluster = LocalCluster.builder(dir).size(3).key("Datastore-Snapshot-Threshold", "500").start()) {
      cluster.awaitLeader();
      Set<Integer> up = new CopyOnWriteArraySet<>(List.of(0, 1, 2));
      try (AckedWriters writers = new AckedWriters(cluster, 2, () -> new ArrayList<>(up))) {
        awaitAcked(writers, 200);
        for (int i = 0; i < 3; i++) {
          int leader = cluster.awaitLeader();
          if (leader == i) {
            int next = (i + 1) % 3;
            Cli.Result moved = Cli.run("transfer-leader", "--to", cluster.nodeId(next), "-c",
                cluster.writeConfig(next).toString());
            assertThat(moved.exitCode()).as(moved.toString()).isZero();
            assertThat(cluster.awaitLeader()).isEqualTo(next);
          }
          up.remove(i);
          cluster.stop(i);
          awaitAcked(writers, writers.ackedCount() + 100);
          cluster.start(i);
          awaitCaughtUp(cluster, i);
          up.add(i);
          Cli.Result status = Cli.run("status", "-c", cluster.writeConfig(i).toString());
          assertThat(status.exitCode()).as(status.toString()).isZero();
          awaitAcked(writers, writers.ackedCount() + 100);
        }
        writers.stop();
        LOG.info("rolling restart: {} writes acknowledged, {} retried, {} failed", writers.ackedCount(),
            writers.retries(), writers.failed());
        assertThat(writers.failures()).isEmpty();
        assertThat(writers.failed()).isZero();
        cluster.awaitLeader();
        for (int i = 0; i < 3; i++) {
          writers.assertAllPresentOn(i);
        }
      }
    }
  }
}
