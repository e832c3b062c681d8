package io.gravwell.datastore.node.metrics;

import static io.gravwell.datastore.node.cluster.Requests.get;
import static io.gravwell.datastore.node.cluster.Requests.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gravwell.datastore.node.cluster.LocalCluster;
import io.gravwell.datastore.protocol.client.DatastoreConnection;
import io.gravwell.datastore.protocol.v1.Request;
import io.gravwell.datastore.protocol.v1.TakeSnapshot;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real 3-node cluster: every node serves /metrics with sane values and /health/ready turns ready. */
class NodeMetricsClusterTest {
  @TempDir
  Path dir;

  @Test
  void everyNodeServesMetricsAndTurnsReady() throws Exception {
    try (LocalCluster cluster = LocalCluster.builder(dir)
        // Ratis skips a requested snapshot unless this many entries were applied since the last (default 1024).
        .raft("raft.server.snapshot.creation.gap", "1").start()) {
      int leader = cluster.awaitLeader();
      try (DatastoreConnection c = cluster.connect(0)) {
        for (int i = 0; i < 20; i++) {
          c.call(put("dashboard", "d" + i, "v" + i)).join();
          c.call(get("dashboard", "d" + i)).join();
        }
        c.call(Request.newBuilder().setTakeSnapshot(TakeSnapshot.getDefaultInstance())).join();

        for (int i = 0; i < cluster.size(); i++) {
          int port = cluster.metricsPort(i);
          assertThat(MetricsText.get(port, "/health/live").statusCode()).isEqualTo(200);
          await().atMost(15, TimeUnit.SECONDS).untilAsserted(() -> {
            HttpResponse<String> ready = MetricsText.get(port, "/health/ready");
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
            assertThat(ready.body()).contains("\"ready\":true", "\"leaderId\":\"" + cluster.nodeId(leader) + "\"");
          });
        }

        // Store counts and connections are polled every 5 s.
        await().atMost(15, TimeUnit.SECONDS).untilAsserted(() -> {
          MetricsText m = MetricsText.scrape(cluster.metricsPort(0));
          assertThat(m.value("datastore_store_objects").orElse(0)).isGreaterThanOrEqualTo(20);
          assertThat(m.value("datastore_client_connections").orElse(0)).isGreaterThanOrEqualTo(1);
        });
      }

      double leaders = 0;
      for (int i = 0; i < cluster.size(); i++) {
        MetricsText m = MetricsText.scrape(cluster.metricsPort(i));
        // Kept under target/ for a look at the full output after a run.
        Files.createDirectories(Path.of("target", "metrics-samples"));
        Files.writeString(Path.of("target", "metrics-samples", cluster.nodeId(i) + ".txt"), m.text());
        leaders += m.sum("datastore_raft_role", "role=\"leader\"");
        assertThat(m.value("datastore_raft_term").orElseThrow()).isGreaterThanOrEqualTo(1);
        assertThat(m.value("datastore_raft_leader", "peer=\"" + cluster.nodeId(leader) + "\"").orElseThrow())
            .isEqualTo(1);
        assertThat(m.value("datastore_raft_commit_index").orElseThrow()).isGreaterThanOrEqualTo(20);
        assertThat(m.value("datastore_raft_applied_index").orElseThrow()).isGreaterThanOrEqualTo(20);
        assertThat(m.value("datastore_node_ready").orElseThrow()).isEqualTo(1);
        assertThat(m.value("datastore_raft_leader_changes_total").orElseThrow()).isGreaterThanOrEqualTo(1);
        assertThat(m.value("datastore_raft_append_chain_restarts_total")).hasValue(0.0);
        assertThat(m.value("datastore_disk_total_bytes").orElseThrow()).isPositive();
        assertThat(m.value("datastore_store_disk_bytes").orElseThrow()).isPositive();
        assertThat(m.sum("jvm_memory_used_bytes", "area=\"heap\"")).isPositive();
        assertThat(m.value("process_cpu_usage")).isPresent();
        // Bridged from Ratis: log fsync latency and election counters.
        assertThat(m.value("ratis_log_worker_flush_time_p99_seconds")).isPresent();
        assertThat(m.value("ratis_leader_election_election_count_total")).isPresent();
      }
      assertThat(leaders).isEqualTo(1);

      MetricsText first = MetricsText.scrape(cluster.metricsPort(0));
      assertThat(first.sum("datastore_requests_seconds_count", "op=\"put\"", "result=\"ok\"")).isEqualTo(20);
      assertThat(first.sum("datastore_requests_seconds_count", "op=\"get\"", "result=\"ok\"")).isEqualTo(20);
      assertThat(first.values("datastore_requests_seconds_bucket", "op=\"put\"")).isNotEmpty();
      assertThat(first.value("datastore_write_mutations_total", "outcome=\"applied\"").orElseThrow()).isEqualTo(20);
      assertThat(first.value("datastore_snapshot_duration_seconds_count").orElseThrow()).isGreaterThanOrEqualTo(1);
      assertThat(first.value("datastore_snapshot_size_bytes").orElseThrow()).isPositive();

      MetricsText onLeader = MetricsText.scrape(cluster.metricsPort(leader));
      for (int i = 0; i < cluster.size(); i++) {
        if (i != leader) {
          String peer = "peer=\"" + cluster.nodeId(i) + "\"";
          assertThat(onLeader.value("datastore_raft_follower_match_index", peer).orElseThrow())
              .isGreaterThanOrEqualTo(20);
          assertThat(onLeader.value("datastore_raft_follower_lag_entries", peer).orElseThrow()).isLessThan(1000);
          assertThat(onLeader.value("ratis_log_appender_follower_match_index", peer)).isPresent();
        }
      }
    }
  }
}
