package io.gravwell.datastore.webserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.gravwell.datastore.client.sync.SyncOutcome;
import io.gravwell.datastore.node.metrics.MetricsText;
import io.gravwell.datastore.node.metrics.PrometheusTools;
import io.gravwell.datastore.webserver.WebClient.Reply;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP layer without a cluster: the datastore endpoint is a closed port, so the webserver runs in
 * degraded mode, which is all these checks need. The clock is injected and moved by hand. One server
 * for the class: stopping one waits out the sync agent's 10 s attempt to reach the closed port.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StandaloneApiTest {
  @TempDir
  static Path dir;

  private final AtomicLong now = new AtomicLong(1_700_000_000_000L);
  private final UUID uuid = UUID.randomUUID();
  private ReferenceWebserver server;
  private WebClient http;

  @BeforeAll
  void setUp() throws Exception {
    String conf = "[Global]\nDatastore=127.0.0.1:1\nControl-Auth=x\nDatastore-Insecure-Disable-TLS=true\n"
        + "Webserver-UUID=" + uuid + "\nExternal-Addr=me:443\nDatastore-Update-Interval=1s\nWeb-Port=0\n"
        + "Resource-Max-Size=1KiB\nWebserver-Data-Dir=" + dir.resolve("data") + "\n";
    Clock clock = new Clock() {
      @Override
      public java.time.ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(java.time.ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return Instant.ofEpochMilli(now.get());
      }
    };
    server = new ReferenceWebserver(WebserverConfig.parse(conf, "w.conf", Map.of()), clock).start();
    http = new WebClient(server.port());
  }

  @AfterAll
  void tearDown() {
    server.stop();
  }

  @Test
  void badRequestsGetPreciseErrorsAndTheServerCarriesOn() {
    Reply bad = http.post("/api/dashboards", "{\"id\": \"d1\", ");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.error()).startsWith("bad JSON at line 1 column");
    assertThat(http.post("/api/dashboards", "[1,2]").error()).isEqualTo("expected a JSON object, got ARRAY");
    assertThat(http.post("/api/dashboards", "{\"id\":\"a/b\"}").status()).isEqualTo(400);
    assertThat(http.post("/api/dashboards", "{\"owner\":\"me\"}").error()).contains("owner");
    assertThat(http.get("/api/dashboards/nope").status()).isEqualTo(404);
    assertThat(http.get("/api/nothing").status()).isEqualTo(404);
    assertThat(http.delete("/api/dashboards").status()).isEqualTo(405);
    assertThat(http.get("/api/searchhistory").error()).contains("user");
    assertThat(http.post("/api/dashboards", "{\"x\":\"" + "y".repeat(1_100_000) + "\"}").status()).isEqualTo(413);

    assertThat(http.post("/api/resources", "{\"guid\":\"r1\"}").status()).isEqualTo(201);
    Reply big = http.putBytes("/api/resources/r1/raw", new byte[2048]);
    assertThat(big.status()).isEqualTo(413);
    assertThat(big.error()).contains("Resource-Max-Size (1KiB)");
    assertThat(http.putBytes("/api/resources/r1/raw", new byte[1024]).json().path("size").asInt()).isEqualTo(1024);

    // Ordinary changes work offline; the server answered every request above and still does.
    assertThat(http.post("/api/dashboards", "{\"id\":\"d1\"}").status()).isEqualTo(201);
    assertThat(http.get("/api/dashboards").json().findValuesAsText("id")).containsExactly("d1");
    assertThat(http.get("/health").json().path("datastore_available").asBoolean()).isFalse();
  }

  @Test
  void aWebserverDropsOffTheLiveListAfterThreeMissedBeats() {
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
        .until(() -> http.get("/api/webservers").json().findValuesAsText("id").contains(uuid.toString()));
    // Measured from the last beat, not the start: under this frozen clock each beat is stamped 1 ms after
    // the one before, so the stamp runs ahead of the clock by one ms per beat so far. Beats still come
    // every second of real time, and one that lands between reading the stamp and the last check is
    // stamped at the moved clock and makes the webserver live again: then the round is measured afresh.
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      long lastBeat = http.get("/api/webservers/" + uuid).json().path("updated_ms").asLong();
      now.set(lastBeat + 3_000);
      assertThat(http.get("/api/webservers").json().findValuesAsText("id")).containsExactly(uuid.toString());
      now.set(lastBeat + 3_001);
      assertThat(http.get("/api/webservers").json().size()).isZero();
    });
    Reply entry = http.get("/api/webservers/" + uuid);
    assertThat(entry.json().path("live").asBoolean()).isFalse();
    assertThat(entry.json().path("external_addr").asText()).isEqualTo("me:443");
  }

  @Test
  void metricsAreServedInDegradedModeAndPassPromtool() throws Exception {
    // Search history, not dashboards: the other test lists every dashboard.
    assertThat(http.post("/api/searchhistory", "{\"user\":\"m\",\"query\":\"tag=x\"}").status()).isEqualTo(201);
    Reply reply = http.get("/metrics");
    assertThat(reply.status()).isEqualTo(200);
    MetricsText m = new MetricsText(reply.text());
    assertThat(m.value("datastore_client_datastore_available")).hasValue(0);
    // Never synced: the start time stands in, so the not-synced alert covers a webserver that never syncs.
    assertThat(m.value("datastore_client_last_sync_timestamp_seconds")).hasValue(1_700_000_000.0);
    assertThat(m.value("datastore_client_queued_changes").orElseThrow()).isGreaterThanOrEqualTo(1);
    assertThat(m.value("datastore_client_sync_lag_revisions")).hasValue(0);
    assertThat(m.values("datastore_client_syncs_total")).hasSize(SyncOutcome.values().length);
    assertThat(m.value("datastore_client_syncs_total", "outcome=\"first_sync\"")).hasValue(0);
    for (String counter :
        new String[] {"reseeds", "conflicts", "failovers", "deleted_by_datastore", "deletes_forgotten"}) {
      assertThat(m.value("datastore_client_" + counter + "_total")).as(counter).isPresent();
    }
    assertThat(m.sum("jvm_memory_used_bytes", "area=\"heap\"")).isPositive();
    assertThat(m.value("process_cpu_seconds_total")).isPresent();
    Optional<Path> promtool = PrometheusTools.find("promtool");
    if (promtool.isPresent()) {
      PrometheusTools.Result r = PrometheusTools.run(dir, reply.text(), promtool.get().toString(), "check", "metrics");
      assertThat(r.exitCode()).as(r.output()).isZero();
    }
  }
}
