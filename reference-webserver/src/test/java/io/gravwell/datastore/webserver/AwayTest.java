package io.gravwell.datastore.webserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gravwell.datastore.node.cluster.LocalCluster;
import io.gravwell.datastore.webserver.Fleet.Member;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Deletions made while a webserver was away still reach it: from tombstones while they are kept, and from
 * a full listing once they were compacted. Either way it is the same history, so nothing is re-seeded.
 */
class AwayTest extends FleetTest {
  private static final Duration CONVERGE = Duration.ofSeconds(20);


  private Member[] start(LocalCluster.Builder builder) {
    cluster = builder.start();
    cluster.awaitLeader();
    fleet = new Fleet(dir.resolve("web"), Duration.ofSeconds(1));
    Member a = fleet.start("a", cluster);
    Member b = fleet.start("b", cluster);
    Fleet.awaitAvailable(a, true, CONVERGE);
    Fleet.awaitAvailable(b, true, CONVERGE);
    for (String id : new String[] {"keep", "doomed"}) {
      assertThat(a.http().post("/api/dashboards", "{\"id\":\"" + id + "\",\"name\":\"" + id + "\"}").status())
          .isEqualTo(201);
    }
    await().atMost(CONVERGE).until(() -> Fleet.contents(b).containsKey("dashboard/doomed"));
    return new Member[] {a, b};
  }

  private void whileBIsAwayDeleteOnA(Member a, Member b) {
    fleet.stop(b);
    assertThat(a.http().delete("/api/dashboards/doomed").status()).isEqualTo(204);
    assertThat(a.http().put("/api/dashboards/keep", "{\"name\":\"changed while b was away\"}").status())
        .isEqualTo(200);
  }

  private void assertBCaughtUpWithoutReseed(Member b) {
    await().atMost(CONVERGE).untilAsserted(() -> {
      assertThat(Fleet.contents(b)).doesNotContainKey("dashboard/doomed");
      assertThat(b.http().get("/api/dashboards/keep").json().path("name").asText())
          .isEqualTo("changed while b was away");
    });
    assertThat(b.server().sync().agent().counters().reseeds()).isZero();
    assertThat(b.server().sync().agent().counters().deletedByDatastore()).isPositive();
  }

  @Test
  void aTombstoneReachesAWebserverThatWasAway() {
    Member[] ab = start(LocalCluster.builder(dir.resolve("cluster")));
    whileBIsAwayDeleteOnA(ab[0], ab[1]);
    assertBCaughtUpWithoutReseed(fleet.restart(ab[1], cluster));
  }

  @Test
  void afterCompactionAFullListingCarriesTheDeletion() {
    Member[] ab = start(LocalCluster.builder(dir.resolve("cluster"))
        .key("Datastore-Tombstone-Retention", "1s")
        .key("Datastore-Compaction-Interval", "1s"));
    whileBIsAwayDeleteOnA(ab[0], ab[1]);
    int leader = cluster.awaitLeader();
    // The tombstone is gone from the cluster: b's next incremental read answers COMPACTED.
    await().atMost(CONVERGE).until(() -> cluster.node(leader).stateMachine().compactRevision() > 0);
    assertBCaughtUpWithoutReseed(fleet.restart(ab[1], cluster));
  }
}
