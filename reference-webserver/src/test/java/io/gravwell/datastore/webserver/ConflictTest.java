package io.gravwell.datastore.webserver;

import static io.gravwell.datastore.webserver.PropagationTest.awaitJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gravwell.datastore.node.cluster.LocalCluster;
import io.gravwell.datastore.protocol.client.DatastoreConnection;
import io.gravwell.datastore.protocol.v1.Get;
import io.gravwell.datastore.protocol.v1.ObjectKey;
import io.gravwell.datastore.protocol.v1.Request;
import io.gravwell.datastore.protocol.v1.StoredObject;
import io.gravwell.datastore.webserver.Fleet.Member;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * Concurrent writes to one object, end to end: the cluster's last-writer-wins rule (updated_ms, then
 * origin) decides, every webserver converges to the cluster's winner, and the loser is told.
 */
class ConflictTest extends FleetTest {
  private static final Duration CONVERGE = Duration.ofSeconds(20);
  // Behind by a minute: its offline edit is stamped just after the version it replaced, never after A's.
  private static final Clock SLOW = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-1));

  @Test
  void anOlderOfflineEditLosesAndItsWriterIsTold() {
    cluster = LocalCluster.builder(dir.resolve("cluster")).start();
    cluster.awaitLeader();
    fleet = new Fleet(dir.resolve("web"), Duration.ofSeconds(1));
    Member a = fleet.start("a", cluster);
    Member b = fleet.start("b", cluster, SLOW);
    Fleet.awaitAvailable(a, true, CONVERGE);
    Fleet.awaitAvailable(b, true, CONVERGE);
    assertThat(a.http().post("/api/dashboards", "{\"id\":\"c1\",\"name\":\"original\"}").status()).isEqualTo(201);
    awaitJson(b, "/api/dashboards/c1", j -> j.path("name").asText().equals("original"));

    // Both edit while no node is reachable; B's edit is the older one.
    for (int i = 0; i < cluster.size(); i++) {
      cluster.stop(i);
    }
    Fleet.awaitAvailable(a, false, CONVERGE);
    Fleet.awaitAvailable(b, false, CONVERGE);
    assertThat(b.http().put("/api/dashboards/c1", "{\"name\":\"from b\"}").status()).isEqualTo(200);
    assertThat(a.http().put("/api/dashboards/c1", "{\"name\":\"from a\"}").status()).isEqualTo(200);
    long stampA = a.server().sync().get("dashboard", "c1").orElseThrow().getUpdatedMs();
    long stampB = b.server().sync().get("dashboard", "c1").orElseThrow().getUpdatedMs();
    assertThat(stampA).isGreaterThan(stampB);

    // A reaches the cluster first, so B's push meets a newer version: B must lose, and know it.
    fleet.stop(b);
    for (int i = 0; i < cluster.size(); i++) {
      cluster.start(i);
    }
    cluster.awaitLeader();
    ObjectKey c1 = a.server().sync().get("dashboard", "c1").orElseThrow().getKey();
    await().atMost(CONVERGE).until(() -> clusterObject(c1).getPayload().toStringUtf8().contains("from a"));
    b = fleet.restart(b, cluster, SLOW);
    Member restarted = b;
    await().atMost(CONVERGE).untilAsserted(() ->
        assertThat(Fleet.health(restarted).path("counters").path("conflicts_lost").asLong()).isEqualTo(1));
    awaitJson(b, "/api/dashboards/c1", j -> j.path("name").asText().equals("from a"));
    assertThat(Fleet.health(a).path("counters").path("conflicts_lost").asLong()).isZero();
    assertThat(Fleet.contents(b)).isEqualTo(Fleet.contents(a));
  }

  @Test
  void aStormOfConcurrentEditsConvergesToTheClustersWinnerEverywhere() throws Exception {
    cluster = LocalCluster.builder(dir.resolve("cluster")).start();
    cluster.awaitLeader();
    fleet = new Fleet(dir.resolve("web"), Duration.ofSeconds(1));
    List<Member> web = List.of(
        fleet.start("a", cluster),
        fleet.start("b", cluster, SLOW),
        fleet.start("c", cluster, Clock.offset(Clock.systemUTC(), Duration.ofMillis(250))));
    for (Member m : web) {
      Fleet.awaitAvailable(m, true, CONVERGE);
    }
    assertThat(web.get(0).http().post("/api/dashboards", "{\"id\":\"hot\",\"name\":\"start\"}").status())
        .isEqualTo(201);
    for (Member m : web) {
      awaitJson(m, "/api/dashboards/hot", j -> true);
    }

    int editsEach = 40;
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(web.size());
    try {
      List<CompletableFuture<Void>> writers = new ArrayList<>();
      for (Member m : web) {
        writers.add(CompletableFuture.runAsync(() -> {
          awaitQuietly(go);
          for (int i = 0; i < editsEach; i++) {
            int status = m.http().put("/api/dashboards/hot", "{\"name\":\"" + m.name() + "-" + i + "\"}").status();
            assertThat(status).isEqualTo(200);
          }
        }, pool));
      }
      go.countDown();
      CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).get();
    } finally {
      pool.shutdownNow();
    }

    ObjectKey hot = web.get(0).server().sync().get("dashboard", "hot").orElseThrow().getKey();
    // Converged: every webserver holds exactly the cluster's version, stamp and origin included.
    await().atMost(CONVERGE).untilAsserted(() -> {
      StoredObject winner = clusterObject(hot);
      for (Member m : web) {
        StoredObject local = m.server().sync().get("dashboard", "hot").orElseThrow();
        assertThat(local.getPayload()).as(m.name()).isEqualTo(winner.getPayload());
        assertThat(local.getUpdatedMs()).as(m.name()).isEqualTo(winner.getUpdatedMs());
        assertThat(local.getOrigin()).as(m.name()).isEqualTo(winner.getOrigin());
      }
    });
    // Some webserver's last edit won: an edit is stamped after the version it replaced, so a later one
    // never loses to an earlier one of the same webserver.
    assertThat(clusterObject(hot).getPayload().toStringUtf8()).containsAnyOf("a-" + (editsEach - 1), "b-" + (editsEach - 1),
        "c-" + (editsEach - 1));
  }

  /** The cluster's version, read linearizably (the default) through the leader. */
  private StoredObject clusterObject(ObjectKey key) {
    try (DatastoreConnection c = cluster.connect(cluster.awaitLeader())) {
      return c.call(Request.newBuilder().setGet(Get.newBuilder().setKey(key))).join().getGet().getObject();
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
