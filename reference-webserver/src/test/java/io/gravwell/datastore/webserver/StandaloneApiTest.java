package io.gravwell.datastore.webserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.gravwell.datastore.webserver.WebClient.Reply;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
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
    now.addAndGet(3_000);
    assertThat(http.get("/api/webservers").json().findValuesAsText("id")).containsExactly(uuid.toString());
    now.addAndGet(1);
    assertThat(http.get("/api/webservers").json().size()).isZero();
    Reply entry = http.get("/api/webservers/" + uuid);
    assertThat(entry.json().path("live").asBoolean()).isFalse();
    assertThat(entry.json().path("external_addr").asText()).isEqualTo("me:443");
  }
}
