package io.gravwell.datastore.webserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gravwell.datastore.node.cli.Cli;
import io.gravwell.datastore.node.cluster.LocalCluster;
import io.gravwell.datastore.webserver.Fleet.Member;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rollback case of the identity check, end to end: the cluster is wiped and restored from a backup
 * older than what the webservers hold. The restore keeps the cluster id and gives a new incarnation, so the
 * webservers re-push what is newer than the backup instead of deleting anything. Restoring the same
 * backup again gives yet another incarnation, so the same holds the second time.
 */
class RestoreFromBackupTest {
  private static final Duration CONVERGE = Duration.ofSeconds(60);

  @TempDir
  Path dir;

  private LocalCluster cluster;
  private Fleet fleet;

  @AfterEach
  void tearDown() {
    if (fleet != null) {
      fleet.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void webserversRepushWhatIsNewerThanTheRestoredBackupAndDeleteNothing() throws InterruptedException {
    cluster = LocalCluster.builder(dir.resolve("cluster")).start();
    cluster.awaitLeader();
    fleet = new Fleet(dir.resolve("web"), Duration.ofSeconds(1));
    Member a = fleet.start("a", cluster);
    Member b = fleet.start("b", cluster);
    Fleet.awaitAvailable(a, true, CONVERGE);
    Fleet.awaitAvailable(b, true, CONVERGE);
    assertThat(a.http().post("/api/dashboards", "{\"id\":\"kept\",\"name\":\"before backup\"}").status()).isEqualTo(201);
    assertThat(a.http().post("/api/dashboards", "{\"id\":\"edited\",\"name\":\"before backup\"}").status()).isEqualTo(201);
    assertThat(b.http().post("/api/dashboards", "{\"id\":\"doomed\",\"name\":\"deleted after backup\"}").status()).isEqualTo(201);
    assertThat(b.http().post("/api/users", "{\"id\":\"u1\",\"name\":\"ann\"}").status()).isEqualTo(201);
    awaitSettled(a, b);

    Path[] configs = new Path[cluster.size()];
    for (int i = 0; i < cluster.size(); i++) {
      configs[i] = cluster.writeConfig(i);
    }
    Path backup = dir.resolve("older.dsbak");
    // The backup is taken under load: webserver A keeps creating dashboards while it runs. Whatever A
    // was told succeeded must survive the restore, whether the backup caught it or A re-pushes it.
    List<String> acked = new CopyOnWriteArrayList<>();
    AtomicBoolean loadOn = new AtomicBoolean(true);
    Thread load = new Thread(() -> {
      for (int i = 0; loadOn.get(); i++) {
        if (a.http().post("/api/dashboards", "{\"id\":\"load-" + i + "\",\"name\":\"under load\"}").status() == 201) {
          acked.add("dashboard/load-" + i);
        }
      }
    }, "load-on-a");
    load.start();
    await().atMost(CONVERGE).until(() -> acked.size() >= 20);
    datastore("backup", "-c", configs[1].toString(), "--out", backup.toString(), "--quiet");
    await().atMost(CONVERGE).until(() -> acked.size() >= 40);
    loadOn.set(false);
    load.join(CONVERGE.toMillis());
    var before = Fleet.health(a).path("identity");

    // Changes after the backup: a create, an update, a delete, on both webservers.
    assertThat(a.http().post("/api/dashboards", "{\"id\":\"new\",\"name\":\"after backup\"}").status()).isEqualTo(201);
    assertThat(b.http().put("/api/dashboards/edited", "{\"name\":\"after backup\"}").status()).isEqualTo(200);
    assertThat(a.http().delete("/api/dashboards/doomed").status()).isEqualTo(204);
    assertThat(b.http().put("/api/users/u1", "{\"name\":\"ann after backup\"}").status()).isEqualTo(200);
    awaitSettled(a, b);
    Map<String, String> after = new TreeMap<>(Fleet.contents(a));
    assertThat(after).containsKeys(acked.toArray(String[]::new));
    assertThat(after).containsKeys("dashboard/new", "dashboard/edited").doesNotContainKey("dashboard/doomed");
    // B deleted "doomed" on the tombstone A's delete left: positive evidence, counted. Nothing after this.
    long[] deletedBefore = {deleted(a), deleted(b)};

    long first = restoreEverywhere(backup, configs, before, a, b, before.path("incarnation").asLong());
    // A second restore of the same backup: the webservers synced with the first restore's cluster, whose
    // revisions went past the backup's. Only a new incarnation tells them this is another history.
    assertThat(a.http().post("/api/dashboards", "{\"id\":\"between-restores\",\"name\":\"x\"}").status()).isEqualTo(201);
    awaitSettled(a, b);
    after.put("dashboard/between-restores", Fleet.contents(a).get("dashboard/between-restores"));
    restoreEverywhere(backup, configs, before, a, b, first);
    // Nothing made after the backup is lost: it was pushed again. Nor does the delete made after the
    // backup come undone: both webservers remember it (the tombstone retention) and re-seed it too, and it
    // beats the backup's older copy by last-writer-wins.
    Map<String, String> expected = new TreeMap<>(after);
    assertThat(Fleet.contents(a)).containsAllEntriesOf(expected).doesNotContainKey("dashboard/doomed")
        .hasSize(expected.size());
    for (Member m : new Member[] {a, b}) {
      assertThat(m.server().sync().agent().counters().reseeds()).isGreaterThanOrEqualTo(2);
    }
    assertThat(new long[] {deleted(a), deleted(b)}).as("deleted by the datastore").isEqualTo(deletedBefore);
    // The cluster itself holds the re-pushed state: a fresh webserver gets exactly the same.
    Member c = fleet.start("c", cluster);
    await().atMost(CONVERGE).untilAsserted(() -> assertThat(Fleet.contents(c)).isEqualTo(Fleet.contents(a)));
  }

  /**
   * Stops and wipes every node, restores each from {@code backup}, starts them, and waits until both
   * webservers sync with the restored cluster: same cluster id, an incarnation above {@code previous}.
   * Returns that incarnation.
   */
  private long restoreEverywhere(Path backup, Path[] configs, com.fasterxml.jackson.databind.JsonNode before,
      Member a, Member b, long previous) {
    for (int i = 0; i < cluster.size(); i++) {
      cluster.stop(i);
      Fleet.deleteTree(cluster.dataDir(i));
    }
    for (int i = 0; i < cluster.size(); i++) {
      datastore("restore", backup.toString(), "-c", configs[i].toString());
    }
    for (int i = 0; i < cluster.size(); i++) {
      cluster.start(i);
    }
    cluster.awaitLeader();
    long[] incarnation = new long[2];
    Member[] fleetMembers = {a, b};
    for (int k = 0; k < fleetMembers.length; k++) {
      Member m = fleetMembers[k];
      int slot = k;
      await().atMost(CONVERGE).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
        var id = Fleet.health(m).path("identity");
        assertThat(id.path("cluster_id").asText()).isEqualTo(before.path("cluster_id").asText());
        assertThat(id.path("incarnation").asLong()).isGreaterThan(previous);
        incarnation[slot] = id.path("incarnation").asLong();
      });
    }
    assertThat(incarnation[1]).as("both webservers follow one restored cluster").isEqualTo(incarnation[0]);
    awaitSettled(a, b);
    return incarnation[0];
  }

  private static long deleted(Member m) {
    return m.server().sync().agent().counters().deletedByDatastore();
  }

  private static void awaitSettled(Member a, Member b) {
    await().atMost(CONVERGE).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
      assertThat(Fleet.health(a).path("pending_changes").asInt()).isZero();
      assertThat(Fleet.health(b).path("pending_changes").asInt()).isZero();
      assertThat(Fleet.contents(b)).isEqualTo(Fleet.contents(a));
    });
  }

  private static void datastore(String... args) {
    Cli run = Cli.run(args);
    assertThat(run.exit()).as("datastore %s%n%s", String.join(" ", args), run).isZero();
  }
}
