package io.gravwell.datastore.node.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Tags;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The two small scanners: Ratis names to Prometheus names, and selectors out of PromQL. */
class NamingTest {
  private static final List<String> PEERS = List.of("n1", "n2", "node-3");

  @Test
  void ratisNamesBecomeSnakeCaseWithTheFollowerAsPeerTag() {
    assertThat(RatisMeterNames.of("ratis", "log_appender", "follower_n2_match_index", PEERS))
        .isEqualTo(new RatisMeterNames.Name("ratis.log_appender.follower_match_index", Tags.of("peer", "n2")));
    assertThat(RatisMeterNames.of("ratis", "server", "node-3_lastHeartbeatElapsedTime", PEERS))
        .isEqualTo(new RatisMeterNames.Name("ratis.server.last_heartbeat_elapsed_time", Tags.of("peer", "node-3")));
    assertThat(RatisMeterNames.of("ratis", "log_worker", "flushTime", PEERS))
        .isEqualTo(new RatisMeterNames.Name("ratis.log_worker.flush_time", Tags.empty()));
    // A peer id only counts as a whole token: "n1" is not found inside "n10_x".
    assertThat(RatisMeterNames.of("ratis", "server", "n10_x", PEERS).tags()).isEqualTo(Tags.empty());
  }

  @Test
  void selectorsAreFoundAndFunctionsKeywordsAndGroupingLabelsAreNot() {
    assertThat(PromqlSelectors.of(
        "(sum(datastore_raft_role{job=\"datastore\", role=\"leader\"}) or vector(0)) < 1"))
        .containsExactly("datastore_raft_role{job=\"datastore\", role=\"leader\"}");
    assertThat(PromqlSelectors.of("max by (peer) (rate(a_total{x=\"y\"}[5m])) > 3 * b"))
        .containsExactly("a_total{x=\"y\"}", "b");
    assertThat(PromqlSelectors.of("time() - datastore_client_last_sync_timestamp_seconds > 3 * 30"))
        .containsExactly("datastore_client_last_sync_timestamp_seconds");
    assertThat(PromqlSelectors.of("sum(up{job=\"d\"}) <= floor(count(up{job=\"d\"}) / 2) + 1"))
        .containsExactly("up{job=\"d\"}");
    assertThat(PromqlSelectors.of("sum by (job) (x{a=\"b\"} unless x{a=\"b\"} offset 15m) > 0"))
        .containsExactly("x{a=\"b\"}");
  }
}
