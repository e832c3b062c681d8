package io.gravwell.datastore.webserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.gravwell.datastore.node.cluster.LocalCluster;
import io.gravwell.datastore.webserver.Fleet.Member;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** Three real datastore nodes, two reference webservers: every change made on A shows up on B. */
class PropagationTest extends FleetTest {
  private static final Duration CONVERGE = Duration.ofSeconds(15);


  private void startCluster(Duration interval) {
    cluster = LocalCluster.builder(dir.resolve("cluster")).start();
    cluster.awaitLeader();
    fleet = new Fleet(dir.resolve("web"), interval);
  }

  @Test
  void everyKindPropagatesCreateUpdateAndDelete() {
    startCluster(Duration.ofSeconds(1));
    Member a = fleet.start("a", cluster, "Max-Search-History=3");
    Member b = fleet.start("b", cluster, "Max-Search-History=3");
    Fleet.awaitAvailable(a, true, CONVERGE);
    Fleet.awaitAvailable(b, true, CONVERGE);

    // users, groups, dashboards: one create, one update, one delete each
    for (String base : List.of("/api/users", "/api/groups", "/api/dashboards")) {
      assertThat(a.http().post(base, "{\"id\":\"k1\",\"name\":\"first\",\"owner\":7}").status()).isEqualTo(201);
      assertThat(a.http().post(base, "{\"id\":\"k2\",\"name\":\"doomed\"}").status()).isEqualTo(201);
      awaitJson(b, base + "/k1", j -> j.path("name").asText().equals("first"));
      awaitJson(b, base + "/k2", j -> j.path("name").asText().equals("doomed"));
      assertThat(a.http().put(base + "/k1", "{\"name\":\"second\"}").status()).isEqualTo(200);
      assertThat(a.http().delete(base + "/k2").status()).isEqualTo(204);
      awaitJson(b, base + "/k1", j -> j.path("name").asText().equals("second") && j.path("id").asText().equals("k1"));
      awaitStatus(b, base + "/k2", 404);
      assertThat(b.http().get(base).json().findValuesAsText("id")).containsExactly("k1");
    }

    // preferences of user k1: create, then update
    assertThat(a.http().put("/api/users/k1/preferences", "{\"theme\":\"dark\"}").status()).isEqualTo(200);
    awaitJson(b, "/api/users/k1/preferences", j -> j.path("theme").asText().equals("dark"));
    assertThat(a.http().put("/api/users/k1/preferences", "{\"theme\":\"light\"}").status()).isEqualTo(200);
    awaitJson(b, "/api/users/k1/preferences", j -> j.path("theme").asText().equals("light"));

    // search history: four entries with Max-Search-History=3; the oldest is deleted on A and on B
    List<String> ids = new ArrayList<>();
    for (int i = 1; i <= 4; i++) {
      JsonNode e = a.http().post("/api/searchhistory", "{\"user\":\"k1\",\"query\":\"tag=q" + i + "\"}").json();
      ids.add(e.path("id").asText());
      awaitFlipOfMillisecond();
    }
    await().atMost(CONVERGE).until(() -> b.server().sync().get("search_history", ids.get(3)).isPresent()
        && b.server().sync().get("search_history", ids.get(0)).isEmpty()
        && a.server().sync().get("search_history", ids.get(0)).isEmpty());
    assertThat(b.http().get("/api/searchhistory?user=k1").json().findValuesAsText("query"))
        .containsExactly("tag=q4", "tag=q3", "tag=q2");

    // resources: metadata create/update/delete, content create/update
    assertThat(a.http().post("/api/resources", "{\"guid\":\"r1\",\"name\":\"lookup\"}").status()).isEqualTo(201);
    assertThat(a.http().post("/api/resources", "{\"guid\":\"r2\",\"name\":\"doomed\"}").status()).isEqualTo(201);
    assertThat(a.http().putBytes("/api/resources/r1/raw", bytes("v1")).status()).isEqualTo(200);
    awaitRaw(b, "/api/resources/r1/raw", "v1");
    assertThat(a.http().putBytes("/api/resources/r1/raw", bytes("version two")).status()).isEqualTo(200);
    assertThat(a.http().put("/api/resources/r1", "{\"name\":\"renamed\",\"size\":999}").status()).isEqualTo(200);
    assertThat(a.http().delete("/api/resources/r2").status()).isEqualTo(204);
    awaitRaw(b, "/api/resources/r1/raw", "version two");
    awaitJson(b, "/api/resources/r1", j -> j.path("name").asText().equals("renamed") && j.path("size").asInt() == 11);
    awaitStatus(b, "/api/resources/r2", 404);

    // the registry: both webservers are live on both
    for (Member m : List.of(a, b)) {
      await().atMost(CONVERGE).until(() -> m.http().get("/api/webservers").json().findValuesAsText("id"),
          live -> live.containsAll(List.of(a.uuid().toString(), b.uuid().toString())));
    }
    JsonNode entry = b.http().get("/api/webservers/" + a.uuid()).json();
    assertThat(entry.path("external_addr").asText()).isEqualTo("a.test:443");
    assertThat(entry.path("live").asBoolean()).isTrue();
    assertThat(Fleet.contents(b)).isEqualTo(Fleet.contents(a));
  }

  @Test
  void theWatchStreamBringsADashboardInWellUnderTheInterval() {
    startCluster(Duration.ofSeconds(10));
    Member a = fleet.start("a", cluster);
    Member b = fleet.start("b", cluster);
    Fleet.awaitAvailable(a, true, CONVERGE);
    Fleet.awaitAvailable(b, true, CONVERGE);
    // Warm up: B's first cycle has opened its watch once a first change has reached it.
    assertThat(a.http().post("/api/dashboards", "{\"id\":\"warm\"}").status()).isEqualTo(201);
    awaitStatus(b, "/api/dashboards/warm", 200);

    long t0 = System.nanoTime();
    assertThat(a.http().post("/api/dashboards", "{\"id\":\"fast\",\"name\":\"pushed\"}").status()).isEqualTo(201);
    await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(5))
        .until(() -> b.server().sync().get("dashboard", "fast").isPresent());
    long elapsedMs = (System.nanoTime() - t0) / 1_000_000;
    assertThat(elapsedMs).isLessThan(1000);
    assertThat(b.http().get("/api/dashboards/fast").json().path("name").asText()).isEqualTo("pushed");
  }

  static void awaitJson(Member m, String path, Predicate<JsonNode> check) {
    await().atMost(CONVERGE).pollInterval(Duration.ofMillis(50)).until(() -> {
      WebClient.Reply r = m.http().get(path);
      return r.status() == 200 && check.test(r.json());
    });
  }

  static void awaitStatus(Member m, String path, int status) {
    await().atMost(CONVERGE).pollInterval(Duration.ofMillis(50)).until(() -> m.http().get(path).status() == status);
  }

  static void awaitRaw(Member m, String path, String content) {
    await().atMost(CONVERGE).pollInterval(Duration.ofMillis(50)).until(() -> m.http().get(path).text().equals(content));
  }

  /** Search history ids order by millisecond; distinct milliseconds make the expected order certain. */
  private static void awaitFlipOfMillisecond() {
    long now = System.currentTimeMillis();
    await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1)).until(() -> System.currentTimeMillis() > now);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
