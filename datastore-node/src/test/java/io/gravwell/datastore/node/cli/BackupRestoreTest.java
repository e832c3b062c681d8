package io.gravwell.datastore.node.cli;

import static io.gravwell.datastore.node.cluster.Requests.get;
import static io.gravwell.datastore.node.cluster.Requests.getAtLeast;
import static io.gravwell.datastore.node.cluster.Requests.put;
import static io.gravwell.datastore.node.cluster.Requests.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gravwell.datastore.node.cluster.LocalCluster;
import io.gravwell.datastore.protocol.client.DatastoreConnection;
import io.gravwell.datastore.protocol.v1.Identity;
import io.gravwell.datastore.protocol.v1.Outcome;
import io.gravwell.datastore.protocol.v1.Response;
import io.gravwell.datastore.protocol.v1.Status;
import io.gravwell.datastore.protocol.v1.Request;
import io.gravwell.datastore.statemachine.BackupArchive;
import io.gravwell.datastore.statemachine.XodusObjectStore;
import io.gravwell.datastore.statemachine.v1.BackupManifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Disaster recovery with real nodes: a backup taken under load, every node wiped, the cluster restored
 * from the archive with `datastore restore`.
 */
class BackupRestoreTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir
  Path dir;

  /** Writers on every node; each acknowledged write is recorded with the revision it was given. */
  private static final class Writers implements AutoCloseable {
    final Map<String, Long> acked = new ConcurrentHashMap<>();
    final AtomicBoolean stop = new AtomicBoolean();
    final List<Thread> threads = new ArrayList<>();

    Writers(LocalCluster cluster, int count) {
      AtomicInteger seq = new AtomicInteger();
      for (int w = 0; w < count; w++) {
        int node = w % cluster.size();
        Thread t = new Thread(() -> {
          try (DatastoreConnection c = cluster.connect(node)) {
            while (!stop.get()) {
              String id = "k" + seq.incrementAndGet();
              Response r = c.send(put("dashboard", id, "v-" + id)).join();
              if (!r.hasError() && r.getWrite().getResults(0).getOutcome() == Outcome.APPLIED) {
                acked.put(id, r.getWrite().getRevision());
              }
            }
          }
        }, "writer-" + w);
        t.setDaemon(true);
        t.start();
        threads.add(t);
      }
    }

    void awaitAcked(int n) {
      await().atMost(WAIT).until(() -> acked.size() >= n);
    }

    @Override
    public void close() throws InterruptedException {
      stop.set(true);
      for (Thread t : threads) {
        t.join(WAIT.toMillis());
      }
    }
  }

  @Test
  void aBackupTakenUnderLoadRestoresEveryNodeOfAWipedCluster() throws Exception {
    Path backup = dir.resolve("backups/nightly.dsbak");
    Files.createDirectories(backup.getParent());
    try (LocalCluster cluster = LocalCluster.builder(dir.resolve("cluster")).start()) {
      int leader = cluster.awaitLeader();
      Identity before;
      try (DatastoreConnection c = cluster.connect(leader)) {
        before = c.call(Request.newBuilder().setStatus(Status.getDefaultInstance())).join().getIdentity();
      }
      Path[] configs = new Path[cluster.size()];
      for (int i = 0; i < cluster.size(); i++) {
        configs[i] = cluster.writeConfig(i);
      }
      int follower = (leader + 1) % cluster.size();
      Writers writers = new Writers(cluster, 6);
      BackupManifest manifest;
      try (writers) {
        writers.awaitAcked(300);
        Cli taken = Cli.run("backup", "-c", configs[follower].toString(), "--out", backup.toString());
        assertThat(taken.exit()).as(taken.toString()).isZero();
        assertThat(taken.out()).contains("backup written to " + backup);
        assertThat(taken.err()).contains("100%");
        assertThat(backup.resolveSibling("nightly.dsbak.tmp")).doesNotExist();
        manifest = BackupArchive.verify(backup, dir.resolve("check"), XodusObjectStore.ENGINE);
        long revision = manifest.getRevision();
        // Writes go on during and after the backup; some must land beyond what it covers.
        await().atMost(WAIT).until(() -> writers.acked.values().stream().anyMatch(r -> r > revision + 50));
      }
      long revision = manifest.getRevision();
      assertThat(manifest.getClusterId()).isEqualTo(before.getClusterId());
      assertThat(manifest.getIncarnation()).isEqualTo(before.getIncarnation());
      assertThat(manifest.getCreatedByNode()).isEqualTo(cluster.nodeId(follower));
      Map<String, Long> covered = new java.util.TreeMap<>();
      writers.acked.forEach((id, rev) -> {
        if (rev <= revision) {
          covered.put(id, rev);
        }
      });
      assertThat(covered).hasSizeGreaterThanOrEqualTo(300);

      for (int i = 0; i < cluster.size(); i++) {
        cluster.stop(i);
        BackupArchive.deleteTree(cluster.dataDir(i));
      }
      for (int i = 0; i < cluster.size(); i++) {
        Cli restored = Cli.run("restore", backup.toString(), "-c", configs[i].toString());
        assertThat(restored.exit()).as(restored.toString()).isZero();
        assertThat(restored.out()).contains("backup had incarnation " + before.getIncarnation())
            .contains("revision " + revision);
      }
      for (int i = 0; i < cluster.size(); i++) {
        cluster.start(i);
      }
      leader = cluster.awaitLeader();

      long newRevision;
      try (DatastoreConnection c = cluster.connect(leader)) {
        Response w = c.call(put("dashboard", "after-restore", "new")).join();
        newRevision = w.getWrite().getRevision();
        assertThat(newRevision).isGreaterThan(revision);
        assertThat(w.getIdentity().getClusterId()).isEqualTo(before.getClusterId());
        assertThat(w.getIdentity().getIncarnation()).isGreaterThan(before.getIncarnation());
        for (Map.Entry<String, Long> e : covered.entrySet()) {
          Response g = c.call(get("dashboard", e.getKey())).join();
          assertThat(g.getGet().getFound()).as("%s acked at revision %d", e.getKey(), e.getValue()).isTrue();
          assertThat(text(g.getGet().getObject())).isEqualTo("v-" + e.getKey());
          assertThat(g.getGet().getObject().getModRev()).isEqualTo(e.getValue());
        }
        // What came after the backup is not there: the cluster really went back to the backup's state.
        writers.acked.entrySet().stream().filter(e -> e.getValue() > revision).limit(20).forEach(e ->
            assertThat(c.call(get("dashboard", e.getKey())).join().getGet().getFound()).as(e.getKey()).isFalse());
      }
      assertSameStateEverywhere(cluster, newRevision);
    }
  }

  @Test
  void aNodeStartedEmptyBesideRestoredOnesGetsTheSnapshotFromTheLeader() throws Exception {
    Path backup = dir.resolve("b.dsbak");
    try (LocalCluster cluster = LocalCluster.builder(dir.resolve("cluster")).start()) {
      int leader = cluster.awaitLeader();
      try (DatastoreConnection c = cluster.connect(leader)) {
        for (int k = 0; k < 50; k++) {
          c.call(put("dashboard", "d" + k, "v" + k)).join();
        }
      }
      Path[] configs = new Path[cluster.size()];
      for (int i = 0; i < cluster.size(); i++) {
        configs[i] = cluster.writeConfig(i);
      }
      Cli taken = Cli.run("backup", "-c", configs[leader].toString(), "--out", backup.toString(), "--quiet");
      assertThat(taken.exit()).as(taken.toString()).isZero();
      for (int i = 0; i < cluster.size(); i++) {
        cluster.stop(i);
        BackupArchive.deleteTree(cluster.dataDir(i));
      }
      // Two of three restored: a majority; the third starts with an empty data directory.
      for (int i = 0; i < 2; i++) {
        Cli restored = Cli.run("restore", backup.toString(), "-c", configs[i].toString());
        assertThat(restored.exit()).as(restored.toString()).isZero();
      }
      for (int i = 0; i < cluster.size(); i++) {
        cluster.start(i);
      }
      leader = cluster.awaitLeader();
      long newRevision;
      try (DatastoreConnection c = cluster.connect(leader)) {
        newRevision = c.call(put("dashboard", "after", "x")).join().getWrite().getRevision();
      }
      try (DatastoreConnection c = cluster.connect(2)) {
        Response g = await().atMost(WAIT).until(() -> c.send(getAtLeast("dashboard", "d49", newRevision)).join(),
            r -> !r.hasError() && r.getGet().getFound());
        assertThat(text(g.getGet().getObject())).isEqualTo("v49");
      }
      assertSameStateEverywhere(cluster, newRevision);
    }
  }

  @Test
  void aBackupFromALaggingFollowerHoldsEveryAcknowledgedWriteOrIsRefused() throws Exception {
    try (LocalCluster cluster = LocalCluster.builder(dir.resolve("cluster")).start()) {
      int leader = cluster.awaitLeader();
      int lagging = (leader + 1) % cluster.size();
      int other = (leader + 2) % cluster.size();
      Path config = cluster.writeConfig(lagging);
      cluster.stop(lagging);
      long lastAcked = 0;
      try (DatastoreConnection c = cluster.connect(leader)) {
        for (int k = 0; k < 40; k++) {
          lastAcked = c.call(put("dashboard", "while-away-" + k, "v")).join().getWrite().getRevision();
        }
      }
      // Alone, the lagging node cannot learn what was committed while it was away: it must refuse rather
      // than hand out an archive that silently misses acknowledged writes.
      cluster.stop(leader);
      cluster.stop(other);
      cluster.start(lagging);
      Path refused = dir.resolve("refused.dsbak");
      Cli alone = Cli.run("backup", "-c", config.toString(), "--out", refused.toString(), "--quiet");
      assertThat(alone.exit()).as(alone.toString()).isNotZero();
      assertThat(alone.err()).contains("could not confirm it holds every acknowledged write");
      assertThat(refused).doesNotExist();

      cluster.start(leader);
      cluster.start(other);
      Path backup = dir.resolve("caught-up.dsbak");
      Cli taken = Cli.run("backup", "-c", config.toString(), "--out", backup.toString(), "--quiet");
      assertThat(taken.exit()).as(taken.toString()).isZero();
      BackupManifest manifest = BackupArchive.verify(backup, dir.resolve("check"), XodusObjectStore.ENGINE);
      assertThat(manifest.getCreatedByNode()).isEqualTo(cluster.nodeId(lagging));
      assertThat(manifest.getRevision()).isGreaterThanOrEqualTo(lastAcked);
    }
  }

  /** Every node, once at {@code revision}, counts the same objects and serves the same newest write. */
  private static void assertSameStateEverywhere(LocalCluster cluster, long revision) {
    List<Long> counts = new ArrayList<>();
    for (int i = 0; i < cluster.size(); i++) {
      try (DatastoreConnection c = cluster.connect(i)) {
        Response g = await().atMost(WAIT).until(() -> c.send(getAtLeast("dashboard", "k1", revision)).join(),
            r -> !r.hasError());
        assertThat(g.getIdentity().getRevision()).isGreaterThanOrEqualTo(revision);
        Response s = c.call(Request.newBuilder().setStatus(Status.getDefaultInstance())).join();
        counts.add(s.getStatus().getObjectCount());
      }
    }
    assertThat(counts).as("object count per node").containsOnly(counts.get(0));
  }
}
