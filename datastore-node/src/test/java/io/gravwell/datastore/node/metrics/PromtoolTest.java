package io.gravwell.datastore.node.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gravwell.datastore.node.cluster.LocalCluster;
import io.gravwell.datastore.protocol.client.DatastoreConnection;
import io.gravwell.datastore.node.cluster.Requests;
import io.gravwell.datastore.protocol.v1.Ping;
import io.gravwell.datastore.protocol.v1.Request;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's promtool on our Prometheus files and on the nodes' real /metrics output. Skipped, loudly, where
 * promtool is not installed.
 */
class PromtoolTest {
  @TempDir
  Path dir;

  @Test
  void configRulesAndRuleUnitTestsPass() throws Exception {
    String promtool = PrometheusTools.require("promtool").toString();
    Path ops = PrometheusTools.OPS;
    assertOk(PrometheusTools.run(ops, null, promtool, "check", "config", "prometheus.yml"));
    assertOk(PrometheusTools.run(ops, null, promtool, "check", "rules", "datastore-alerts.yml"));
    PrometheusTools.Result tests =
        PrometheusTools.run(ops, null, promtool, "test", "rules", "tests/datastore-alerts-test.yml");
    assertOk(tests);
    assertThat(tests.output()).contains("SUCCESS");
  }

  @Test
  void everyNodesMetricsPassPromtoolsLint() throws Exception {
    String promtool = PrometheusTools.require("promtool").toString();
    try (LocalCluster cluster = LocalCluster.builder(dir).start()) {
      int leader = cluster.awaitLeader();
      try (DatastoreConnection c = cluster.connect(leader)) {
        c.call(Requests.put("dashboard", "lint", "v")).join();
        c.call(Requests.get("dashboard", "lint")).join();
        c.call(Request.newBuilder().setPing(Ping.getDefaultInstance())).join();
      }
      // The per-webserver series appear with the next refresh (every second): lint them too.
      await().atMost(10, TimeUnit.SECONDS).until(() -> MetricsText.scrape(cluster.metricsPort(leader))
          .value("datastore_webserver_revision_lag", "webserver=\"test-client\"").isPresent());
      for (int i = 0; i < cluster.size(); i++) {
        String metrics = MetricsText.scrape(cluster.metricsPort(i)).text();
        PrometheusTools.Result r = PrometheusTools.run(dir, metrics, promtool, "check", "metrics");
        assertThat(r.exitCode()).as("promtool check metrics on %s:\n%s", cluster.nodeId(i), r.output()).isZero();
      }
    }
  }

  private static void assertOk(PrometheusTools.Result r) {
    assertThat(r.exitCode()).as(r.output()).isZero();
  }
}
