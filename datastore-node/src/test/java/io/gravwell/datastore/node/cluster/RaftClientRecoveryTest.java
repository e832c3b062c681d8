package io.gravwell.datastore.node.cluster;

import static io.gravwell.datastore.node.cluster.Requests.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gravwell.datastore.protocol.client.DatastoreConnection;
import io.gravwell.datastore.protocol.v1.Outcome;
import io.gravwell.datastore.protocol.v1.Response;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Found by the chaos runs: once one write exhausted the node's Raft-client retries (no quorum), Ratis had
 * closed that client's request window for good and the node refused every later write, even after the
 * quorum came back. The node must serve writes again as soon as a leader exists.
 */
class RaftClientRecoveryTest {
  @TempDir
  Path dir;

  @Test
  void aNodeWhoseWritesFailedWithoutQuorumWritesAgainWhenTheQuorumReturns() {
    try (LocalCluster cluster = LocalCluster.builder(dir).key("Datastore-Request-Timeout", "1s").start()) {
      cluster.awaitLeader();
      int survivor = 0;
      try (DatastoreConnection c = cluster.connect(survivor)) {
        assertThat(c.call(put("dashboard", "before", "x")).join().getWrite().getResults(0).getOutcome())
            .isEqualTo(Outcome.APPLIED);
      }
      cluster.stop(1);
      cluster.stop(2);
      try (DatastoreConnection c = cluster.connect(survivor)) {
        Response lonely = c.send(put("dashboard", "alone", "x")).join();
        assertThat(lonely.hasError()).as("a write without quorum fails").isTrue();
      }

      cluster.start(1);
      cluster.start(2);
      cluster.awaitLeader();

      try (DatastoreConnection c = cluster.connect(survivor)) {
        await("a write through " + cluster.nodeId(survivor) + " after the quorum returned")
            .atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
              Response r = c.send(put("dashboard", "after", "x")).join();
              assertThat(r.hasError()).as("error %s", r.getError()).isFalse();
              assertThat(r.getWrite().getResults(0).getOutcome()).isEqualTo(Outcome.APPLIED);
            });
      }
    }
  }
}
