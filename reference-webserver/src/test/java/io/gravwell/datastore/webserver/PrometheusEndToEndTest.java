package io.gravwell.datastore.webserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.gravwell.datastore.node.cluster.LocalCluster;
import io.gravwell.datastore.node.cluster.Requests;
import io.gravwell.datastore.node.metrics.MetricsText;
import io.gravwell.datastore.node.metrics.PrometheusServer;
import io.gravwell.datastore.node.metrics.PrometheusTools;
import io.gravwell.datastore.node.metrics.PromqlSelectors;
import io.gravwell.datastore.protocol.client.DatastoreConnection;
import io.gravwell.datastore.protocol.v1.Request;
import io.gravwell.datastore.protocol.v1.TakeSnapshot;
import io.gravwell.datastore.webserver.Fleet.Member;
import io.gravwell.datastore.webserver.http.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proof on a real Prometheus: a 3-node cluster and two reference webservers under load, scraped every
 * second. Every PromQL expression of every dashboard panel (and every template variable) must return data,
 * every alert rule must evaluate cleanly with every series it reads present, each webserver's /metrics must
 * pass {@code promtool check metrics}, and stopping a node must make DatastoreNodeDown go pending or firing.
 *
 * <p>It lives here rather than in datastore-node because only this module can run both sides: the node's
 * test helpers (LocalCluster, PrometheusServer) come from datastore-node's test-jar.
 */
class PrometheusEndToEndTest {
  private static final Duration AT_MOST = Duration.ofSeconds(20);

  @TempDir
  Path dir;

  @Test
  void everyPanelAndRuleHasDataAndANodeDownAlerts() throws Exception {
    Path binary = PrometheusTools.require("prometheus");
    String promtool = PrometheusTools.require("promtool").toString();
    try (LocalCluster cluster = LocalCluster.builder(dir.resolve("cluster"))
        .raft("raft.server.snapshot.creation.gap", "1").start();
        Fleet fleet = new Fleet(dir.resolve("web"), Duration.ofSeconds(1))) {
      int leader = cluster.awaitLeader();
      Member a = fleet.start("a", cluster);
      Member b = fleet.start("b", cluster);
      Fleet.awaitAvailable(a, true, AT_MOST);
      Fleet.awaitAvailable(b, true, AT_MOST);
      List<String> nodes = new ArrayList<>();
      for (int i = 0; i < cluster.size(); i++) {
        nodes.add("127.0.0.1:" + cluster.metricsPort(i));
      }
      List<String> webservers = List.of("127.0.0.1:" + a.server().port(), "127.0.0.1:" + b.server().port());
      Map<String, List<String>> jobs = new LinkedHashMap<>();
      jobs.put("datastore", nodes);
      jobs.put("webserver", webservers);
      try (PrometheusServer prometheus = PrometheusServer.start(binary,
          Files.createDirectories(dir.resolve("prom")), jobs, testCopyOfRules());
          NodeLoad nodeLoad = new NodeLoad(cluster); WebLoad webLoad = new WebLoad(a, b)) {
        nodeLoad.start();
        webLoad.start();
        for (int i = 0; i < cluster.size(); i++) {
          try (DatastoreConnection c = cluster.connect(i)) {
            c.call(Request.newBuilder().setTakeSnapshot(TakeSnapshot.getDefaultInstance())).join();
          }
        }
        System.gc(); // so that the GC pause timers exist in every registry (one JVM here)
        await().atMost(30, TimeUnit.SECONDS).until(() -> scalar(prometheus, "sum(up{job=\"datastore\"})") == 3
            && scalar(prometheus, "sum(up{job=\"webserver\"})") == 2);
        // A few scrapes so that rate() over 15 s windows has at least two samples everywhere.
        Thread.sleep(6_000);

        Map<String, String> panels = panelQueries();
        assertThat(panels).hasSizeGreaterThan(40);
        for (Map.Entry<String, String> p : panels.entrySet()) {
          awaitData(prometheus, p.getValue(), "panel " + p.getKey());
        }

        int checkedRules = 0;
        for (JsonNode group : prometheus.api("/api/v1/rules").path("groups")) {
          for (JsonNode rule : group.path("rules")) {
            String name = rule.path("name").asText();
            String query = rule.path("query").asText();
            assertThat(rule.path("health").asText()).as("rule %s evaluates (%s)", name, rule.path("lastError"))
                .isNotEqualTo("err");
            prometheus.query(query); // valid PromQL, or this throws
            for (String selector : PromqlSelectors.of(query)) {
              awaitData(prometheus, selector, "rule " + name + " reads " + selector + ", which");
            }
            checkedRules++;
          }
        }
        assertThat(checkedRules).isGreaterThanOrEqualTo(10);

        // The node hook sees both webservers by their Webserver-UUID; their own counters moved.
        for (Member m : List.of(a, b)) {
          awaitData(prometheus, "max by (webserver) (datastore_webserver_last_checkin_timestamp_seconds{"
              + "job=\"datastore\", webserver=\"" + m.uuid() + "\"}) > time() - 30", "check-in of " + m.name());
          awaitData(prometheus, "datastore_webserver_revision_lag{webserver=\"" + m.uuid() + "\"}",
              "revision lag of " + m.name());
        }
        awaitData(prometheus, "sum(datastore_client_syncs_total{job=\"webserver\", outcome=~\"synced|first_sync\"}) > 2",
            "successful syncs");
        awaitData(prometheus, "sum(datastore_client_deleted_by_datastore_total{job=\"webserver\"}) > 0",
            "deletes pulled from the datastore");
        for (Member m : List.of(a, b)) {
          String text = m.http().get("/metrics").text();
          PrometheusTools.Result r = PrometheusTools.run(dir, text, promtool, "check", "metrics");
          assertThat(r.exitCode()).as("promtool check metrics on webserver %s:\n%s", m.name(), r.output()).isZero();
          Files.createDirectories(Path.of("target", "metrics-samples"));
          Files.writeString(Path.of("target", "metrics-samples", "webserver-" + m.name() + ".txt"), text);
        }

        webLoad.close();
        nodeLoad.close();
        int victim = (leader + 1) % cluster.size();
        String instance = "127.0.0.1:" + cluster.metricsPort(victim);
        cluster.stop(victim);
        await().atMost(30, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
          List<String> states = new ArrayList<>();
          for (JsonNode alert : prometheus.api("/api/v1/alerts").path("alerts")) {
            if (alert.path("labels").path("alertname").asText().equals("DatastoreNodeDown")
                && alert.path("labels").path("instance").asText().equals(instance)) {
              states.add(alert.path("state").asText());
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

  /**
   * Every target expression of every panel, with Grafana's variables replaced as Grafana would with "All"
   * selected, and every query variable's selector (a variable without data leaves the dashboard empty).
   */
  private static Map<String, String> panelQueries() throws Exception {
    Map<String, String> out = new LinkedHashMap<>();
    for (Path file : PrometheusTools.dashboards()) {
      JsonNode d = Json.MAPPER.readTree(file.toFile());
      List<String> variables = new ArrayList<>();
      for (JsonNode v : d.path("templating").path("list")) {
        if (v.path("type").asText().equals("query")) {
          variables.add(v.path("name").asText());
          // label_values(SELECTOR, label): the variable is empty unless SELECTOR has data.
          String def = v.path("definition").asText();
          out.put(file.getFileName() + " / variable " + v.path("name").asText(),
              def.substring(def.indexOf('(') + 1, def.lastIndexOf(',')).trim());
        }
      }
      for (JsonNode p : d.path("panels")) {
        for (JsonNode t : p.path("targets")) {
          String expr = t.path("expr").asText()
              .replace("$__rate_interval", "15s")
              .replace("$__interval", "5s");
          for (String v : variables) {
            expr = expr.replace("$" + v, ".+");
          }
          assertThat(expr).as("unreplaced variable in %s", file).doesNotContain("$");
          out.put(file.getFileName() + " / " + p.path("title").asText() + " / " + t.path("refId").asText(), expr);
        }
      }
    }
    return out;
  }

  private static void awaitData(PrometheusServer prometheus, String promql, String what) {
    await().atMost(AT_MOST).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
        assertThat(hasNumber(prometheus.query(promql))).as("%s: %s returns data", what, promql).isTrue());
  }

  private static double scalar(PrometheusServer prometheus, String promql) throws Exception {
    String v = prometheus.query(promql).path("result").path(0).path("value").path(1).asText();
    return v.isEmpty() ? Double.NaN : Double.parseDouble(v);
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

  /** A background loop until closed; a failure while running fails {@link #close()}. */
  private abstract static class Loop implements AutoCloseable {
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong done = new AtomicLong();
    private final Thread thread;
    private volatile Exception failure;

    Loop(String name) {
      this.thread = new Thread(this::run, name);
      thread.setDaemon(true);
    }

    void start() {
      thread.start();
    }

    abstract void round(long n) throws Exception;

    void cleanUp() {}

    private void run() {
      try {
        for (long n = 0; running.get(); n++) {
          round(n);
          done.incrementAndGet();
          Thread.sleep(20);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        if (running.get()) {
          failure = e;
        }
      } finally {
        cleanUp();
      }
    }

    @Override
    public void close() throws InterruptedException {
      if (running.getAndSet(false)) {
        thread.join(15_000);
      }
      if (failure != null) {
        throw new IllegalStateException(thread.getName() + " failed after " + done.get() + " rounds", failure);
      }
    }
  }

  /** Steady puts and linearizable gets straight to every node. */
  private static final class NodeLoad extends Loop {
    private final LocalCluster cluster;
    private final List<DatastoreConnection> connections = new ArrayList<>();

    NodeLoad(LocalCluster cluster) {
      super("node-load");
      this.cluster = cluster;
    }

    @Override
    void round(long n) throws Exception {
      if (connections.isEmpty()) {
        for (int i = 0; i < cluster.size(); i++) {
          connections.add(cluster.connect(i));
        }
      }
      DatastoreConnection c = connections.get((int) (n % connections.size()));
      c.call(Requests.put("dashboard", "k" + (n % 50), "v" + n)).get(10, TimeUnit.SECONDS);
      c.call(Requests.get("dashboard", "k" + (n % 50))).get(10, TimeUnit.SECONDS);
    }

    @Override
    void cleanUp() {
      connections.forEach(DatastoreConnection::close);
    }
  }

  /**
   * Dashboards created through both webservers' REST APIs, and each one deleted ten rounds later by the
   * webserver that made it, so the other one removes its copy on the datastore's evidence.
   */
  private static final class WebLoad extends Loop {
    private final List<Member> members;

    WebLoad(Member a, Member b) {
      super("web-load");
      this.members = List.of(a, b);
    }

    @Override
    void round(long n) {
      WebClient http = members.get((int) (n % 2)).http();
      int created = http.post("/api/dashboards", "{\"id\":\"load-" + n + "\",\"name\":\"n" + n + "\"}").status();
      assertThat(created).as("create load-%s", n).isEqualTo(201);
      if (n >= 10) {
        // The same webserver (n and n-10 have the same parity) deletes what it made ten rounds ago.
        assertThat(http.delete("/api/dashboards/load-" + (n - 10)).status()).isIn(204, 404);
      }
    }
  }
}
