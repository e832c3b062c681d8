package io.gravwell.datastore.node.cluster;

import static io.gravwell.datastore.node.cluster.Requests.get;
import static io.gravwell.datastore.node.cluster.Requests.getAtLeast;
import static io.gravwell.datastore.node.cluster.Requests.put;
import static io.gravwell.datastore.node.cluster.Requests.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gravwell.datastore.protocol.client.DatastoreConnection;
import io.gravwell.datastore.protocol.v1.Identity;
import io.gravwell.datastore.protocol.v1.List;
import io.gravwell.datastore.protocol.v1.Outcome;
import io.gravwell.datastore.protocol.v1.Request;
import io.gravwell.datastore.protocol.v1.Response;
import io.gravwell.datastore.protocol.v1.StoredObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Three real nodes on loopback: replication, failover, snapshot catch-up, full restart. */
class ClusterTest {
  @TempDir
  Path dir;

  @Test
  void writesThroughAnyNodeAreReadFromEveryNode() {
    try (LocalCluster cluster = LocalCluster.builder(dir).start()) {
      cluster.awaitLeader();
      long lastRevision = 0;
      for (int i = 0; i < 3; i++) {
        try (DatastoreConnection c = cluster.connect(i)) {
          Response r = c.call(put("dashboard", "d" + i, "written via " + cluster.nodeId(i))).join();
          assertThat(r.getWrite().getResults(0).getOutcome()).isEqualTo(Outcome.APPLIED);
          assertThat(r.getWrite().getRevision()).isGreaterThan(lastRevision);
          lastRevision = r.getWrite().getRevision();
          // Read-your-write on the same node, linearizable.
          Response g = c.call(get("dashboard", "d" + i)).join();
          assertThat(text(g.getGet().getObject())).isEqualTo("written via " + cluster.nodeId(i));
        }
      }
      for (int i = 0; i < 3; i++) {
        try (DatastoreConnection c = cluster.connect(i)) {
          for (int k = 0; k < 3; k++) {
            Response g = c.call(get("dashboard", "d" + k)).join();
            assertThat(g.getGet().getFound()).as("d%d on %s", k, cluster.nodeId(i)).isTrue();
            assertThat(g.getIdentity().getRevision()).isGreaterThanOrEqualTo(lastRevision);
          }
          // A follower read at the last revision also sees everything.
          Response stale = c.call(getAtLeast("dashboard", "d2", lastRevision)).join();
          assertThat(text(stale.getGet().getObject())).isEqualTo("written via n3");
        }
      }
    }
  }

  /**
   * A node submits its own writes and read rounds to its Raft division directly: Ratis' server-level submit
   * would hand each to a client-executor thread and wait for it, two hand-offs on every write's way. Only
   * gRPC clients (other nodes forwarding, Ratis' own client) use that executor, and a single node has none.
   */
  @Test
  void aNodesOwnWritesAndReadsSkipRatisClientExecutor() {
    try (LocalCluster cluster = LocalCluster.builder(dir).size(1).start()) {
      cluster.awaitLeader();
      try (DatastoreConnection c = cluster.connect(0)) {
        for (int i = 0; i < 20; i++) {
          Response r = c.call(put("dashboard", "direct" + i, "v" + i)).join();
          assertThat(r.getWrite().getResults(0).getOutcome()).isEqualTo(Outcome.APPLIED);
          assertThat(text(c.call(get("dashboard", "direct" + i)).join().getGet().getObject())).isEqualTo("v" + i);
        }
      }
      java.util.List<String> clientExecutor = Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
          .filter(n -> n.contains("-client-thread")).toList();
      assertThat(clientExecutor).as("Ratis client-executor threads").isEmpty();
    }
  }

  /**
   * Answers that complete together leave in one consolidated flush, and requests sent together by many
   * threads share one; neither may lose, delay or cross an answer. Each thread reads back, linearizably,
   * the value it has just written through a follower, over the one connection all threads share.
   */
  @Test
  void threadsSharingOneConnectionEachReadTheirOwnWrites() throws Exception {
    try (LocalCluster cluster = LocalCluster.builder(dir).start()) {
      int follower = (cluster.awaitLeader() + 1) % cluster.size();
      try (DatastoreConnection c = cluster.connect(follower)) {
        int threads = 8;
        int rounds = 40;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
          ArrayList<Future<Integer>> done = new ArrayList<>();
          for (int t = 0; t < threads; t++) {
            String id = "shared-" + t;
            done.add(pool.submit(() -> {
              for (int round = 0; round < rounds; round++) {
                String value = id + " round " + round;
                Response w = c.call(put("dashboard", id, value)).get(20, TimeUnit.SECONDS);
                assertThat(w.getWrite().getResults(0).getOutcome()).isEqualTo(Outcome.APPLIED);
                Response g = c.call(get("dashboard", id)).get(20, TimeUnit.SECONDS);
                assertThat(text(g.getGet().getObject())).isEqualTo(value);
              }
              return rounds;
            }));
          }
          for (Future<Integer> f : done) {
            assertThat(f.get(120, TimeUnit.SECONDS)).isEqualTo(rounds);
          }
        } finally {
          pool.shutdownNow();
        }
      }
    }
  }

  @Test
  void silentWebserversExpireFromTheRegistryAtCompaction() {
    try (LocalCluster cluster = LocalCluster.builder(dir)
        .key("Datastore-Compaction-Interval", "1s")
        .key("Datastore-Webserver-Expiry", "5s")
        .start()) {
      int leader = cluster.awaitLeader();
      try (DatastoreConnection c = cluster.connect(leader)) {
        long now = System.currentTimeMillis();
        for (String[] ws : new String[][] {{"silent", String.valueOf(now - 60_000)}, {"alive", String.valueOf(now + 60_000)}}) {
          Request.Builder put = put("webserver", ws[0], "{}");
          put.getPutBuilder().getObjectBuilder().setUpdatedMs(Long.parseLong(ws[1])).setOrigin(ws[0]);
          c.call(put).join();
        }
        await().atMost(15, TimeUnit.SECONDS).until(() -> !c.call(get("webserver", "silent")).join().getGet().getFound());
        assertThat(c.call(get("webserver", "alive")).join().getGet().getFound()).isTrue();
      }
    }
  }

  @Test
  void aWatchOnOneNodeIsRungByAWriteThroughAnother() {
    try (LocalCluster cluster = LocalCluster.builder(dir).start()) {
      cluster.awaitLeader();
      try (DatastoreConnection watcher = cluster.connect(2); DatastoreConnection writer = cluster.connect(0)) {
        long start = watcher.call(Request.newBuilder().setPing(io.gravwell.datastore.protocol.v1.Ping.getDefaultInstance()))
            .join().getIdentity().getRevision();
        java.util.List<Long> rung = new java.util.concurrent.CopyOnWriteArrayList<>();
        watcher.stream(Request.newBuilder().setWatch(io.gravwell.datastore.protocol.v1.Watch.newBuilder()
            .setAfterRevision(start)), r -> rung.add(r.getWatchEvent().getRevision()));
        long written = writer.call(put("dashboard", "watched", "v1")).join().getWrite().getRevision();
        await().atMost(5, TimeUnit.SECONDS).until(() -> rung.stream().anyMatch(r -> r >= written));
        assertThat(rung).allSatisfy(r -> assertThat(r).isGreaterThan(start));
      }
    }
  }

  @Test
  void stoppingTheLeaderElectsAnotherAndLosesNoAcknowledgedWrite() throws Exception {
    try (LocalCluster cluster = LocalCluster.builder(dir).start()) {
      int leader = cluster.awaitLeader();
      int entry = (leader + 1) % 3;
      Set<String> acked = ConcurrentHashMap.newKeySet();
      AtomicBoolean running = new AtomicBoolean(true);
      AtomicInteger counter = new AtomicInteger();
      Thread writer = new Thread(() -> {
        try (DatastoreConnection c = cluster.connect(entry)) {
          while (running.get()) {
            String id = "k" + counter.incrementAndGet();
            try {
              Response r = c.send(put("session", id, id)).get(15, TimeUnit.SECONDS);
              if (!r.hasError() && r.getWrite().getResults(0).getOutcome() == Outcome.APPLIED) {
                acked.add(id);
              }
            } catch (Exception e) {
              // unknown outcome: neither acked nor counted as lost
            }
          }
        }
      });
      writer.start();
      await().atMost(20, TimeUnit.SECONDS).until(() -> acked.size() >= 20);
      long stoppedAt = System.nanoTime();
      cluster.stop(leader);
      int before = acked.size();
      int newLeader = cluster.awaitLeader();
      double electionSeconds = (System.nanoTime() - stoppedAt) / 1e9;
      assertThat(newLeader).isNotEqualTo(leader);
      assertThat(electionSeconds).as("seconds to elect a new leader").isLessThan(10);
      await().atMost(20, TimeUnit.SECONDS).until(() -> acked.size() >= before + 20);
      running.set(false);
      writer.join(20_000);

      try (DatastoreConnection c = cluster.connect(newLeader)) {
        for (String id : acked) {
          Response g = c.call(get("session", id)).join();
          assertThat(g.getGet().getFound()).as("acknowledged write %s", id).isTrue();
        }
      }
    }
  }

  @Test
  void aNodeThatMissedPurgedEntriesCatchesUpBySnapshot() {
    try (LocalCluster cluster = LocalCluster.builder(dir)
        .key("Datastore-Snapshot-Threshold", "50")
        .raft("raft.server.log.segment.size.max", "8KB")
        .raft("raft.server.log.purge.gap", "1")
        .start()) {
      int leader = cluster.awaitLeader();
      int lagging = (leader + 2) % 3;
      int entry = (leader + 1) % 3;
      cluster.stop(lagging);
      long lastRevision = 0;
      try (DatastoreConnection c = cluster.connect(entry)) {
        for (int i = 0; i < 300; i++) {
          lastRevision = c.call(put("user", "u" + i, "user " + i + " " + "x".repeat(100))).join()
              .getWrite().getRevision();
        }
      }
      long purgedUpTo = lastRevision - 1;
      // The leader's log no longer starts at the beginning: catching up by log replay is impossible.
      await().atMost(30, TimeUnit.SECONDS).untilAsserted(() ->
          assertThat(cluster.node(leader).raft().logStartIndex()).isGreaterThan(50));
      cluster.start(lagging);
      long target = lastRevision;
      await().atMost(60, TimeUnit.SECONDS).until(() -> cluster.node(lagging).raft().appliedIndex() >= target);
      assertThat(cluster.node(lagging).stateMachine().getLatestSnapshot())
          .as("the lagging node received a snapshot").isNotNull();
      assertThat(cluster.node(lagging).stateMachine().getLatestSnapshot().getIndex()).isGreaterThan(50);
      try (DatastoreConnection c = cluster.connect(lagging)) {
        for (int i = 0; i < 300; i += 7) {
          Response g = c.call(getAtLeast("user", "u" + i, target)).join();
          assertThat(g.getGet().getFound()).as("u%d on the restarted node", i).isTrue();
        }
      }
      assertThat(purgedUpTo).isPositive();
    }
  }

  @Test
  void restartingTheWholeClusterKeepsContentsRevisionAndIdentity() {
    Map<String, String> before;
    Identity identityBefore;
    LocalCluster.Builder builder = LocalCluster.builder(dir);
    LocalCluster cluster = builder.start();
    try {
      int leader = cluster.awaitLeader();
      try (DatastoreConnection c = cluster.connect(leader)) {
        for (int i = 0; i < 50; i++) {
          c.call(put("preference", "p" + i, "v" + i)).join();
        }
        c.call(Request.newBuilder().setDelete(io.gravwell.datastore.protocol.v1.Delete.newBuilder()
            .setKey(Requests.key("preference", "p7")))).join();
        before = listAll(c);
        identityBefore = c.lastIdentity();
      }
      assertThat(before).hasSize(49).doesNotContainKey("p7");
      assertThat(identityBefore.getClusterId()).isNotEmpty();
      assertThat(identityBefore.getIncarnation()).isEqualTo(1);
      for (int i = 0; i < 3; i++) {
        cluster.stop(i);
      }
      for (int i = 0; i < 3; i++) {
        cluster.start(i);
      }
      int leaderAfter = cluster.awaitLeader();
      try (DatastoreConnection c = cluster.connect(leaderAfter)) {
        Map<String, String> after = listAll(c);
        Identity identityAfter = c.lastIdentity();
        assertThat(after).isEqualTo(before);
        assertThat(identityAfter.getClusterId()).isEqualTo(identityBefore.getClusterId());
        assertThat(identityAfter.getIncarnation()).isEqualTo(identityBefore.getIncarnation());
        assertThat(identityAfter.getRevision()).isGreaterThanOrEqualTo(identityBefore.getRevision());
        Response tomb = c.call(Request.newBuilder().setGet(io.gravwell.datastore.protocol.v1.Get.newBuilder()
            .setKey(Requests.key("preference", "p7")).setIncludeTombstone(true))).join();
        assertThat(tomb.getGet().getObject().getDeleted()).isTrue();
      }
    } finally {
      cluster.close();
    }
  }

  private static Map<String, String> listAll(DatastoreConnection c) {
    Map<String, String> out = new TreeMap<>();
    String token = "";
    do {
      Response r = c.call(Request.newBuilder().setList(List.newBuilder()
          .setDomain(Requests.DOMAIN).setKind("preference").setLimit(7).setPageToken(token))).join();
      for (StoredObject o : r.getList().getObjectsList()) {
        out.put(o.getKey().getId(), text(o) + "@" + o.getModRev());
      }
      token = r.getList().getNextPageToken();
    } while (!token.isEmpty());
    return out;
  }

}
