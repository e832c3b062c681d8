package io.gravwell.datastore.webserver;

import static io.gravwell.datastore.webserver.PropagationTest.awaitJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gravwell.datastore.node.cluster.LocalCluster;
import io.gravwell.datastore.webserver.Fleet.Member;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The disaster this project exists for: a datastore that lost its data, or is not ours at all, must never
 * make a webserver delete anything. The webservers' local copies re-seed it instead.
 */
class DatastoreLossTest {
  private static final Duration CONVERGE = Duration.ofSeconds(30);

  @TempDir
  Path dir;

  private LocalCluster cluster;
  private LocalCluster foreign;
  private Fleet fleet;

  @AfterEach
  void tearDown() {
    fleet.close();
    cluster.close();
    if (foreign != null) {
      foreign.close();
    }
  }

  private void start() {
    cluster = LocalCluster.builder(dir.resolve("cluster")).start();
    cluster.awaitLeader();
    fleet = new Fleet(dir.resolve("web"), Duration.ofSeconds(1));
  }

  /** Objects of every API kind, some made on A and some on B. */
  private static void populate(Member a, Member b) {
    assertThat(a.http().post("/api/users", "{\"id\":\"u1\",\"name\":\"ann\"}").status()).isEqualTo(201);
    assertThat(b.http().post("/api/users", "{\"id\":\"u2\",\"name\":\"bob\"}").status()).isEqualTo(201);
    assertThat(a.http().post("/api/groups", "{\"id\":\"g1\"}").status()).isEqualTo(201);
    assertThat(a.http().post("/api/dashboards", "{\"id\":\"d1\"}").status()).isEqualTo(201);
    assertThat(b.http().post("/api/dashboards", "{\"id\":\"d2\"}").status()).isEqualTo(201);
    assertThat(a.http().put("/api/users/u1/preferences", "{\"theme\":\"dark\"}").status()).isEqualTo(200);
    assertThat(b.http().post("/api/searchhistory", "{\"user\":\"u2\",\"query\":\"tag=x\"}").status()).isEqualTo(201);
    assertThat(a.http().post("/api/resources", "{\"guid\":\"r1\"}").status()).isEqualTo(201);
    assertThat(a.http().putBytes("/api/resources/r1/raw", "content".getBytes(StandardCharsets.UTF_8)).status())
        .isEqualTo(200);
  }

  private static void awaitSame(Member a, Member b) {
    await().atMost(CONVERGE).pollInterval(Duration.ofMillis(100))
        .untilAsserted(() -> assertThat(Fleet.contents(b)).isEqualTo(Fleet.contents(a)));
  }

  /** Two webservers on the home cluster, holding the same populated, synced contents. */
  private Member[] twoSyncedWebservers() {
    start();
    Member a = fleet.start("a", cluster);
    Member b = fleet.start("b", cluster);
    Fleet.awaitAvailable(a, true, CONVERGE);
    Fleet.awaitAvailable(b, true, CONVERGE);
    populate(a, b);
    awaitSame(a, b);
    return new Member[] {a, b};
  }

  @Test
  void anEmptiedClusterIsReseededAndNothingIsLost() {
    Member[] ab = twoSyncedWebservers();
    Member a = ab[0];
    Member b = ab[1];
    await().atMost(CONVERGE).until(() -> Fleet.health(a).path("pending_changes").asInt() == 0
        && Fleet.health(b).path("pending_changes").asInt() == 0);
    Map<String, String> before = Fleet.contents(a);
    assertThat(before).hasSize(9);
    String oldCluster = Fleet.health(a).path("identity").path("cluster_id").asText();

    // Stop every node and delete all of its data: what comes back is a brand-new, empty cluster.
    for (int i = 0; i < cluster.size(); i++) {
      cluster.stop(i);
      Fleet.deleteTree(cluster.dataDir(i));
    }
    Fleet.awaitAvailable(a, false, CONVERGE);
    assertThat(a.http().post("/api/dashboards", "{\"id\":\"d3\",\"name\":\"while down\"}").status()).isEqualTo(201);
    for (int i = 0; i < cluster.size(); i++) {
      cluster.start(i);
    }
    cluster.awaitLeader();

    await().atMost(CONVERGE).until(() -> !Fleet.health(a).path("identity").path("cluster_id").asText().equals(oldCluster)
        && !Fleet.health(b).path("identity").path("cluster_id").asText().equals(oldCluster));
    awaitSame(a, b);
    assertThat(Fleet.contents(a)).containsAllEntriesOf(before).containsKey("dashboard/d3").hasSize(10);
    for (Member m : new Member[] {a, b}) {
      assertThat(m.server().sync().agent().counters().reseeds()).isGreaterThanOrEqualTo(1);
      assertThat(m.server().sync().agent().counters().deletedByDatastore()).isZero();
    }

    // The new cluster really holds everything: a webserver with an empty store gets all of it.
    Member c = fleet.start("c", cluster);
    awaitSame(a, c);
    assertThat(c.http().get("/api/resources/r1/raw").text()).isEqualTo("content");
  }

  @Test
  void aWebserverPointedAtAForeignClusterDeletesNothing() {
    Member[] ab = twoSyncedWebservers();
    Member a = ab[0];
    Member b = ab[1];
    await().atMost(CONVERGE).until(() -> Fleet.health(a).path("pending_changes").asInt() == 0);
    Map<String, String> mine = Fleet.contents(a);

    // Another cluster with its own objects in the same domain.
    foreign = LocalCluster.builder(dir.resolve("foreign")).size(1).start();
    foreign.awaitLeader();
    Member x = fleet.start("x", foreign);
    Fleet.awaitAvailable(x, true, CONVERGE);
    assertThat(x.http().post("/api/dashboards", "{\"id\":\"foreign\"}").status()).isEqualTo(201);

    // A comes back with its data but a config pointing at the foreign cluster.
    Member moved = fleet.restart(a, foreign);
    awaitJson(moved, "/api/dashboards/foreign", j -> true);
    awaitSame(moved, x);
    assertThat(Fleet.contents(moved)).containsAllEntriesOf(mine).containsKey("dashboard/foreign");
    assertThat(moved.server().sync().agent().counters().deletedByDatastore()).isZero();
    assertThat(moved.server().sync().agent().counters().reseeds()).isGreaterThanOrEqualTo(1);

    // The home cluster and the webserver still on it are untouched.
    assertThat(Fleet.contents(b)).isEqualTo(mine);
  }
}
