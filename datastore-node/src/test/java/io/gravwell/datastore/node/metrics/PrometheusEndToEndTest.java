package io.gravwell.datastore.node.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gravwell.datastore.node.cluster.LocalCluster;
import io.gravwell.datastore.node.cluster.Requests;
import io.gravwell.datastore.protocol.client.DatastoreConnection;
import io.gravwell.datastore.protocol.v1.Request;
import io.gravwell.datastore.protocol.v1.TakeSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proof on a real Prometheus: a 3-node cluster under load, scraped every second, and then every PromQL
 * expression of every dashboard panel must return data, every alert rule must evaluate cleanly with every
 * series it reads present, and stopping a node must make DatastoreNodeDown go pending or firing.
 */
class PrometheusEndToEndTest {
  /**
   * Rules on metrics the reference webserver will expose later; nothing here can produce them yet. Remove
   * a name from this list as soon as the webserver serves it.
   */
  private static final Set<String> NOT_YET_EXPORTED =
      Set.of("datastore_client_last_sync_timestamp_seconds", "datastore_client_reseeds_total");

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  @Test
  void everyPanelAndRuleHasDataAndANodeDownAlerts() throws Exception {
    Path binary = PrometheusTools.require("prometheus");
    try (LocalCluster cluster = LocalCluster.builder(dir.resolve("cluster"))
        .raft("raft.server.snapshot.creation.gap", "1").start()) {
      int leader = cluster.awaitLeader();
      List<String> targets = new ArrayList<>();
      for (int i = 0; i < cluster.size(); i++) {
        targets.add("127.0.0.1:" + cluster.metricsPort(i));
      }
      Path rules = testCopyOfRules();
      try (PrometheusServer prometheus = PrometheusServer.start(binary, Files.createDirectories(dir.resolve("prom")),
          targets, rules); Load load = new Load(cluster)) {
        load.start();
        for (int i = 0; i < cluster.size(); i++) {
          try (DatastoreConnection c = cluster.connect(i)) {
            c.call(Request.newBuilder().setTakeSnapshot(TakeSnapshot.getDefaultInstance())).join();
          }
        }
        System.gc(); // so that the GC pause timers exist in every node's registry (one JVM here)
        await().atMost(30, TimeUnit.SECONDS).until(() -> prometheus.query("sum(up{job=\"datastore\"})")
            .path("result").path(0).path("value").path(1).asText().equals("3"));
        // A few scrapes so that rate() over 15 s windows has at least two samples everywhere.
        Thread.sleep(6_000);

        Map<String, String> panels = panelQueries();
        assertThat(panels).hasSizeGreaterThan(20);
        for (Map.Entry<String, String> p : panels.entrySet()) {
          await().atMost(20, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
              assertThat(hasNumber(prometheus.query(p.getValue())))
                  .as("panel %s: %s returns data", p.getKey(), p.getValue()).isTrue());
        }

        List<String> excluded = new ArrayList<>();
        int checkedRules = 0;
        for (JsonNode group : prometheus.api("/api/v1/rules").path("groups")) {
          for (JsonNode rule : group.path("rules")) {
            String name = rule.path("name").asText();
            String query = rule.path("query").asText();
            assertThat(rule.path("health").asText()).as("rule %s evaluates (%s)", name, rule.path("lastError"))
                .isNotEqualTo("err");
            prometheus.query(query); // valid PromQL, or this throws
            for (String selector : PromqlSelectors.of(query)) {
              if (NOT_YET_EXPORTED.contains(PromqlSelectors.metricName(selector))) {
                excluded.add(name + ": " + selector);
                continue;
              }
              await().atMost(20, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                  assertThat(hasNumber(prometheus.query(selector)))
                      .as("rule %s reads %s, which must have data", name, selector).isTrue());
            }
            checkedRules++;
          }
        }
        assertThat(checkedRules).isGreaterThanOrEqualTo(10);
        System.out.println("Rule selectors not checked (webserver metrics, not exported yet): " + excluded);

        load.close();
        int victim = (leader + 1) % cluster.size();
        String instance = "127.0.0.1:" + cluster.metricsPort(victim);
        cluster.stop(victim);
        await().atMost(30, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
          List<String> states = new ArrayList<>();
          for (JsonNode a : prometheus.api("/api/v1/alerts").path("alerts")) {
            if (a.path("labels").path("alertname").asText().equals("DatastoreNodeDown")
                && a.path("labels").path("instance").asText().equals(instance)) {
              states.add(a.path("state").asText());
            }
          }
          assertThat(states).as("DatastoreNodeDown for %s", instance).containsAnyOf("pending", "firing");
        });
      }
    }
  }

  /** The shipped rules with every {@code for:} cut to 2 s, so that the node-down alert shows up quickly. */
  private Path testCopyOfRules() throws Exception {
    String text = Files.readString(PrometheusTools.RULES).replaceAll("(?m)^(\\s+)for: \\S+$", "$1for: 2s");
    return Files.writeString(dir.resolve("datastore-alerts-test-copy.yml"), text);
  }

  /** Every target expression of every panel, with Grafana's variables replaced as Grafana would. */
  private static Map<String, String> panelQueries() throws Exception {
    Map<String, String> out = new LinkedHashMap<>();
    for (Path file : PrometheusTools.dashboards()) {
      JsonNode d = JSON.readTree(file.toFile());
      for (JsonNode v : d.path("templating").path("list")) {
        if (v.path("type").asText().equals("query")) {
          // label_values(SELECTOR, label): the variable is empty unless SELECTOR has data.
          String def = v.path("definition").asText();
          out.put(file.getFileName() + " / variable " + v.path("name").asText(),
              def.substring(def.indexOf('(') + 1, def.lastIndexOf(',')).trim());
        }
      }
      for (JsonNode p : d.path("panels")) {
        for (JsonNode t : p.path("targets")) {
          String expr = t.path("expr").asText()
              .replace("$instance", ".+")
              .replace("$__rate_interval", "15s")
              .replace("$__interval", "5s");
          out.put(file.getFileName() + " / " + p.path("title").asText() + " / " + t.path("refId").asText(), expr);
        }
      }
    }
    return out;
  }

  /** A result with at least one sample that is a number (not NaN): a panel would draw something. */
  private static boolean hasNumber(JsonNode data) {
    for (JsonNode sample : data.path("result")) {
      String v = sample.path("value").path(1).asText();
      if (!v.isEmpty() && !v.equals("NaN")) {
        return true;
      }
    }
    return false;
  }

  /** Steady puts and linearizable gets through every node, until closed. */
  private static final class Load implements AutoCloseable {
    private final LocalCluster cluster;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong done = new AtomicLong();
    private final Thread thread;

    Load(LocalCluster cluster) {
      this.cluster = cluster;
      this.thread = new Thread(this::run, "load");
      thread.setDaemon(true);
    }

    void start() {
      thread.start();
    }

    private void run() {
      List<DatastoreConnection> connections = new ArrayList<>();
      try {
        for (int i = 0; i < cluster.size(); i++) {
          connections.add(cluster.connect(i));
        }
        for (long n = 0; running.get(); n++) {
          DatastoreConnection c = connections.get((int) (n % connections.size()));
          c.call(Requests.put("dashboard", "k" + (n % 50), "v" + n)).get(10, TimeUnit.SECONDS);
          c.call(Requests.get("dashboard", "k" + (n % 50))).get(10, TimeUnit.SECONDS);
          done.incrementAndGet();
          Thread.sleep(20);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        if (running.get()) {
          throw new IllegalStateException("load failed after " + done.get() + " rounds", e);
        }
      } finally {
        connections.forEach(DatastoreConnection::close);
      }
    }

    @Override
    public void close() throws InterruptedException {
      if (running.getAndSet(false)) {
        thread.join(15_000);
      }
    }
  }
}
