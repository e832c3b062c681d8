package io.gravwell.datastore.webserver;

import static io.gravwell.datastore.webserver.PropagationTest.awaitJson;
import static org.assertj.core.api.Assertions.assertThat;

import io.gravwell.datastore.node.cluster.LocalCluster;
import io.gravwell.datastore.webserver.Fleet.Member;
import io.gravwell.datastore.webserver.WebClient.Reply;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every datastore node down: the webservers keep serving, queue ordinary changes, refuse the rest. */
class DatastoreOutageTest {
  private static final Duration CONVERGE = Duration.ofSeconds(15);

  @TempDir
  Path dir;

  private LocalCluster cluster;
  private Fleet fleet;
  private Member a;
  private Member b;

  @BeforeEach
  void setUp() {
    cluster = LocalCluster.builder(dir.resolve("cluster")).start();
    cluster.awaitLeader();
    fleet = new Fleet(dir.resolve("web"), Duration.ofSeconds(1));
    a = fleet.start("a", cluster);
    b = fleet.start("b", cluster);
    Fleet.awaitAvailable(a, true, CONVERGE);
    Fleet.awaitAvailable(b, true, CONVERGE);
    assertThat(a.http().post("/api/users", "{\"id\":\"u1\",\"name\":\"ann\"}").status()).isEqualTo(201);
    assertThat(a.http().post("/api/groups", "{\"id\":\"g1\",\"name\":\"ops\"}").status()).isEqualTo(201);
    assertThat(a.http().post("/api/dashboards", "{\"id\":\"d1\",\"name\":\"before\"}").status()).isEqualTo(201);
    assertThat(a.http().post("/api/resources", "{\"guid\":\"r1\",\"name\":\"lookup\"}").status()).isEqualTo(201);
    awaitJson(b, "/api/resources/r1", j -> true);
    awaitJson(b, "/api/dashboards/d1", j -> true);
  }

  @AfterEach
  void tearDown() {
    fleet.close();
    cluster.close();
  }

  private void stopAllNodes() {
    for (int i = 0; i < cluster.size(); i++) {
      cluster.stop(i);
    }
    Fleet.awaitAvailable(a, false, CONVERGE);
    Fleet.awaitAvailable(b, false, CONVERGE);
  }

  @Test
  void offlineChangesAreQueuedAndPushedOnReconnect() {
    stopAllNodes();
    assertThat(a.http().post("/api/dashboards", "{\"id\":\"d2\",\"name\":\"offline\"}").status()).isEqualTo(201);
    assertThat(a.http().put("/api/dashboards/d1", "{\"name\":\"edited offline\"}").status()).isEqualTo(200);
    assertThat(a.http().put("/api/users/u1/preferences", "{\"theme\":\"dark\"}").status()).isEqualTo(200);
    assertThat(a.http().post("/api/searchhistory", "{\"user\":\"u1\",\"query\":\"tag=offline\"}").status())
        .isEqualTo(201);
    assertThat(Fleet.health(a).path("pending_changes").asInt()).isGreaterThanOrEqualTo(4);
    assertThat(b.http().get("/api/dashboards/d2").status()).isEqualTo(404);

    for (int i = 0; i < cluster.size(); i++) {
      cluster.start(i);
    }
    cluster.awaitLeader();

    Duration reconnect = Duration.ofSeconds(30);
    org.awaitility.Awaitility.await().atMost(reconnect).untilAsserted(() -> {
      assertThat(b.http().get("/api/dashboards/d2").json().path("name").asText()).isEqualTo("offline");
      assertThat(b.http().get("/api/dashboards/d1").json().path("name").asText()).isEqualTo("edited offline");
      assertThat(b.http().get("/api/users/u1/preferences").json().path("theme").asText()).isEqualTo("dark");
      assertThat(b.http().get("/api/searchhistory?user=u1").json().findValuesAsText("query"))
          .containsExactly("tag=offline");
    });
    assertThat(Fleet.health(a).path("datastore_available").asBoolean()).isTrue();
    assertThat(Fleet.contents(b)).isEqualTo(Fleet.contents(a));
  }

  @Test
  void adminAndDeletesAnswer503WhileNoNodeIsReachable() {
    stopAllNodes();
    assertUnavailable(a.http().post("/api/users", "{\"id\":\"u2\"}"));
    assertUnavailable(a.http().put("/api/users/u1", "{\"name\":\"changed\"}"));
    assertUnavailable(a.http().delete("/api/users/u1"));
    assertUnavailable(a.http().post("/api/groups", "{\"id\":\"g2\"}"));
    assertUnavailable(a.http().put("/api/groups/g1", "{\"name\":\"changed\"}"));
    assertUnavailable(a.http().delete("/api/groups/g1"));
    assertUnavailable(a.http().delete("/api/dashboards/d1"));
    assertUnavailable(a.http().delete("/api/resources/r1"));

    // Nothing was changed by the refused requests, reads still work, ordinary changes are accepted.
    assertThat(a.http().get("/api/users/u1").json().path("name").asText()).isEqualTo("ann");
    assertThat(a.http().get("/api/groups/g1").json().path("name").asText()).isEqualTo("ops");
    assertThat(a.http().get("/api/dashboards/d1").status()).isEqualTo(200);
    assertThat(a.http().get("/api/resources/r1").status()).isEqualTo(200);
    assertThat(a.http().post("/api/dashboards", "{\"id\":\"d9\"}").status()).isEqualTo(201);
    assertThat(Fleet.health(a).path("datastore_available").asBoolean()).isFalse();
  }

  private static void assertUnavailable(Reply r) {
    assertThat(r.status()).as(r.text()).isEqualTo(503);
    assertThat(r.error()).startsWith("datastore unavailable");
  }
}
