package io.gravwell.datastore.node.cluster;

import static io.gravwell.datastore.node.cluster.Requests.key;
import static io.gravwell.datastore.node.cluster.Requests.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.gravwell.datastore.protocol.client.DatastoreConnection;
import io.gravwell.datastore.protocol.v1.CompareAndSet;
import io.gravwell.datastore.protocol.v1.Get;
import io.gravwell.datastore.protocol.v1.Outcome;
import io.gravwell.datastore.protocol.v1.ReadConsistency;
import io.gravwell.datastore.protocol.v1.ReadOptions;
import io.gravwell.datastore.protocol.v1.Request;
import io.gravwell.datastore.protocol.v1.Response;
import io.gravwell.datastore.protocol.v1.StoredObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes sent to the leader, as the webserver client sends them, while leadership moves under them. The
 * leader hands them to its own Raft server in-process; a write in flight when it steps down must follow
 * the leadership under its first invocation id, or it may apply twice.
 *
 * <p>Each writer owns one counter and increments it by compare-and-set, one step at a time. With no one
 * else writing the key, a precondition failure can only mean that the writer's previous step applied
 * twice (once under each id), and so does a counter above the acknowledged steps. Every step must get a
 * definite answer: a leader that refuses a write while it hands over (stepping down, or not ready yet)
 * must pass it on, not leave the webserver guessing.
 *
 * <p>What this does not provoke: an entry appended by a leader that is deposed before it commits (Ratis
 * refuses new writes during a transfer, so transfers do not produce one). That case rests on the retry
 * cache, as {@code WriteInvocation} explains.
 */
class WritesAcrossLeaderChangesTest {
  private static final String KIND = "counter";
  private static final int WRITERS = 4;

  @TempDir
  Path dir;

  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicInteger acked = new AtomicInteger();
  private final AtomicInteger unknown = new AtomicInteger();
  private final AtomicInteger preconditionFailed = new AtomicInteger();
  private final AtomicInteger readsFailed = new AtomicInteger();

  @Test
  void compareAndSetStepsApplyOnceWhileLeadershipMoves() throws Exception {
    try (LocalCluster cluster = LocalCluster.builder(dir).start()) {
      cluster.awaitLeader();
      List<Thread> writers = new ArrayList<>();
      for (int w = 0; w < WRITERS; w++) {
        String id = "c" + w;
        Thread t = new Thread(() -> increment(cluster, id), "cas-writer-" + w);
        t.setDaemon(true);
        writers.add(t);
        t.start();
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> acked.get() >= 50);
      for (int move = 0; move < 6; move++) {
        int leader = cluster.awaitLeader();
        int next = (leader + 1) % cluster.size();
        Cli.Result moved = Cli.run("transfer-leader", "--to", cluster.nodeId(next), "-c",
            cluster.writeConfig(next).toString());
        assertThat(moved.exitCode()).as(moved.toString()).isZero();
        int before = acked.get();
        await().atMost(Duration.ofSeconds(30)).until(() -> acked.get() >= before + 30);
      }
      running.set(false);
      for (Thread t : writers) {
        t.join(30_000);
      }

      System.out.printf("cas steps: %d acknowledged, %d unknown, %d precondition failed, %d reads failed%n",
          acked.get(), unknown.get(), preconditionFailed.get(), readsFailed.get());
      assertThat(unknown.get()).as("steps without a definite answer: a write must follow the leadership").isZero();
      assertThat(preconditionFailed.get()).as("steps refused because an earlier one applied twice").isZero();
      int total = 0;
      try (DatastoreConnection c = cluster.connect(cluster.awaitLeader())) {
        for (int w = 0; w < WRITERS; w++) {
          total += read(c, "c" + w).map(o -> Integer.parseInt(text(o))).orElse(0);
        }
      }
      assertThat(total).as("increments stored").isEqualTo(acked.get());
    }
  }

  /** One writer's loop: always on the current leader's connection, as the webserver client writes. */
  private void increment(LocalCluster cluster, String id) {
    DatastoreConnection conn = null;
    int connectedTo = -1;
    while (running.get()) {
      try {
        int leader = cluster.currentLeader().orElse(connectedTo < 0 ? 0 : connectedTo);
        if (conn == null || !conn.isOpen() || leader != connectedTo) {
          if (conn != null) {
            conn.close();
          }
          conn = cluster.connect(leader);
          connectedTo = leader;
        }
        var current = read(conn, id);
        int value = current.map(o -> Integer.parseInt(text(o))).orElse(0);
        long modRev = current.map(StoredObject::getModRev).orElse(0L);
        step(conn, id, modRev, value + 1);
      } catch (Exception e) {
        readsFailed.incrementAndGet(); // a connect or read that failed: nothing was written
      }
    }
    if (conn != null) {
      conn.close();
    }
  }

  private void step(DatastoreConnection conn, String id, long modRev, int value) {
    try {
      Response r = conn.send(Request.newBuilder().setCas(CompareAndSet.newBuilder()
          .setExpectedModRev(modRev)
          .setPut(StoredObject.newBuilder().setKey(key(KIND, id)).setOrigin("test")
              .setPayload(ByteString.copyFrom(String.valueOf(value), StandardCharsets.UTF_8)))))
          .get(15, TimeUnit.SECONDS);
      Outcome outcome = r.hasError() ? null : r.getWrite().getResults(0).getOutcome();
      if (outcome == Outcome.APPLIED) {
        acked.incrementAndGet();
      } else if (outcome == Outcome.PRECONDITION_FAILED) {
        preconditionFailed.incrementAndGet();
      } else {
        unknown.incrementAndGet();
      }
    } catch (Exception e) {
      unknown.incrementAndGet();
    }
  }

  private static java.util.Optional<StoredObject> read(DatastoreConnection c, String id) throws Exception {
    Response g = c.send(Request.newBuilder().setGet(Get.newBuilder().setKey(key(KIND, id))
        .setRead(ReadOptions.newBuilder().setConsistency(ReadConsistency.LINEARIZABLE)))).get(15, TimeUnit.SECONDS);
    if (g.hasError()) {
      throw new IllegalStateException(g.getError().toString());
    }
    return g.getGet().getFound() ? java.util.Optional.of(g.getGet().getObject()) : java.util.Optional.empty();
  }
}
