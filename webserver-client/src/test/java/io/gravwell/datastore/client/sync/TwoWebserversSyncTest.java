package io.gravwell.datastore.client.sync;

import static io.gravwell.datastore.client.TestWebserver.contentsOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.google.protobuf.ByteString;
import io.gravwell.datastore.client.DatastoreUnavailableException;
import io.gravwell.datastore.client.TestClock;
import io.gravwell.datastore.client.TestWebserver;
import io.gravwell.datastore.protocol.v1.Acl;
import io.gravwell.datastore.protocol.v1.ObjectKey;
import io.gravwell.datastore.protocol.v1.StoredObject;
import io.gravwell.datastore.statemachine.InProcessReplica;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Two webservers sharing one in-process datastore: propagation, conflicts, outages and disasters. */
class TwoWebserversSyncTest {

  @TempDir Path dir;
  TestClock clockA = new TestClock(1_000_000);
  TestClock clockB = new TestClock(1_000_000);
  InProcessReplica replica;
  TestWebserver a;
  TestWebserver b;
  ListAppender<ILoggingEvent> log = new ListAppender<>();
  Logger agentLogger = (Logger) LoggerFactory.getLogger(SyncAgent.class);

  @BeforeEach
  void setUp() {
    replica = InProcessReplica.create(dir.resolve("cluster"), "cluster-1");
    a = new TestWebserver("ws-a", dir.resolve("a"), replica, clockA);
    b = new TestWebserver("ws-b", dir.resolve("b"), replica, clockB);
    log.start();
    agentLogger.addAppender(log);
  }

  @AfterEach
  void tearDown() {
    agentLogger.detachAppender(log);
    a.close();
    b.close();
    replica.close();
  }

  void tick() {
    clockA.advance(Duration.ofMillis(10));
    clockB.advance(Duration.ofMillis(10));
  }

  void syncAll() {
    for (int i = 0; i < 2; i++) {
      a.syncOnce();
      b.syncOnce();
    }
  }

  /** A week and a day later on A's clock, the datastore compacts every tombstone written so far. */
  void compactTombstonesOlderThanAWeek() {
    clockA.advance(Duration.ofDays(8));
    replica.compact(clockA.millis(), Duration.ofDays(7));
    assertThat(replica.identity().getCompactRevision()).isPositive();
  }

  List<String> warnings() {
    return log.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage).toList();
  }

  void assertConverged() {
    assertThat(a.contents()).isEqualTo(b.contents()).isEqualTo(contentsOf(replica));
    assertThat(a.store.dirtyCount()).isZero();
    assertThat(b.store.dirtyCount()).isZero();
  }

  @Test
  void createUpdateAndDeletePropagate() {
    assertThat(a.syncOnce()).isEqualTo(SyncOutcome.FIRST_SYNC);
    assertThat(b.syncOnce()).isEqualTo(SyncOutcome.FIRST_SYNC);

    a.put("x", "v1");
    a.put("y", "y1");
    assertThat(a.syncOnce()).isEqualTo(SyncOutcome.SYNCED);
    assertThat(b.syncOnce()).isEqualTo(SyncOutcome.SYNCED);
    assertThat(b.payload("x")).isEqualTo("v1");

    tick();
    b.put("x", "v2");
    b.syncOnce();
    a.syncOnce();
    assertThat(a.payload("x")).isEqualTo("v2");

    tick();
    assertThat(a.delete("x")).isTrue();
    assertThat(a.payload("x")).isNull();
    a.syncOnce();
    b.syncOnce();
    assertThat(b.payload("x")).isNull();
    assertThat(b.counters().deletedByDatastore()).isEqualTo(1);
    assertThat(b.payload("y")).isEqualTo("y1");
    assertConverged();
    assertThat(a.counters().reseeds() + b.counters().reseeds()).isZero();
  }

  @Test
  void concurrentWritesConvergeAndTheLoserIsCountedAndTold() {
    List<StoredObject[]> told = new ArrayList<>();
    a.close();
    a = new TestWebserver("ws-a", dir.resolve("a2"), replica, clockA,
        SyncSettings.of(TestWebserver.DOMAIN, "ws-a"), new SyncListener() {
          @Override
          public void onConflictLost(StoredObject localChange, StoredObject winner) {
            told.add(new StoredObject[] {localChange, winner});
          }
        });
    syncAll();
    clockB.advance(Duration.ofSeconds(5)); // B's clock runs ahead: its write is the later one
    a.put("x", "from-a");
    b.put("x", "from-b");
    assertThat(b.syncOnce()).isEqualTo(SyncOutcome.SYNCED);
    assertThat(a.syncOnce()).isEqualTo(SyncOutcome.SYNCED);

    assertThat(a.payload("x")).isEqualTo("from-b");
    assertThat(a.counters().conflictsLost()).isEqualTo(1);
    assertThat(told).hasSize(1);
    assertThat(told.get(0)[0].getPayload().toStringUtf8()).isEqualTo("from-a");
    assertThat(told.get(0)[1].getOrigin()).isEqualTo("ws-b");
    syncAll();
    assertConverged();
    assertThat(b.payload("x")).isEqualTo("from-b");
  }

  @Test
  void aLocalEditAlwaysBeatsTheVersionItReplacesEvenFromAFastClock() {
    syncAll();
    clockB.advance(Duration.ofHours(1));
    b.put("x", "b-from-the-future");
    syncAll();
    a.put("x", "edited-on-a"); // A's clock is an hour behind, yet the user edited what they saw
    syncAll();
    assertThat(b.payload("x")).isEqualTo("edited-on-a");
    assertConverged();
  }

  @Test
  void offlineChangesAreQueuedAndPushedOnReconnect() {
    syncAll();
    a.put("keep", "1");
    syncAll();
    a.remote.setReachable(false);
    assertThat(a.syncOnce()).isEqualTo(SyncOutcome.UNAVAILABLE);
    assertThat(a.sync.isDatastoreAvailable()).isFalse();

    tick();
    a.put("x", "made-offline");
    a.put("keep", "2");
    assertThat(a.syncOnce()).isEqualTo(SyncOutcome.UNAVAILABLE);
    assertThat(a.store.dirtyCount()).isEqualTo(2);
    assertThat(b.syncOnce()).isEqualTo(SyncOutcome.IDLE);
    assertThat(b.payload("x")).isNull();

    a.remote.setReachable(true);
    assertThat(a.syncOnce()).isEqualTo(SyncOutcome.SYNCED);
    assertThat(a.sync.isDatastoreAvailable()).isTrue();
    b.syncOnce();
    assertThat(b.payload("x")).isEqualTo("made-offline");
    assertThat(b.payload("keep")).isEqualTo("2");
    assertConverged();
  }

  @Test
  void deletesAndUserAndGroupAdministrationAreRefusedWhileUnavailable() {
    a.put("x", "1");
    syncAll();
    a.remote.setReachable(false);
    a.syncOnce();

    assertThatThrownBy(() -> a.delete("x"))
        .isInstanceOf(DatastoreUnavailableException.class)
        .hasMessageStartingWith("datastore unavailable: ");
    assertThatThrownBy(() -> a.sync.put("user", "u1", ByteString.copyFromUtf8("{}"), Acl.getDefaultInstance()))
        .isInstanceOf(DatastoreUnavailableException.class)
        .hasMessageStartingWith("datastore unavailable: ");
    assertThatThrownBy(() -> a.sync.put("group", "g1", ByteString.copyFromUtf8("{}"), null))
        .isInstanceOf(DatastoreUnavailableException.class);
    assertThat(a.payload("x")).isEqualTo("1");
    a.put("dash", "still fine"); // ordinary changes are queued

    a.remote.setReachable(true);
    a.syncOnce();
    assertThat(a.delete("x")).isTrue();
    a.sync.put("user", "u1", ByteString.copyFromUtf8("{}"), Acl.getDefaultInstance());
    syncAll();
    assertThat(b.payload("x")).isNull();
    assertThat(b.sync.get("user", "u1")).isPresent();
    assertConverged();
  }

  @Test
  void theSeedsWorstCaseAWipedClusterIsReseededAndNothingIsLost() {
    for (int i = 0; i < 5; i++) {
      a.put("a" + i, "A" + i);
      b.put("b" + i, "B" + i);
    }
    syncAll();
    Map<String, String> before = a.contents();
    assertThat(before).hasSize(10);
    a.put("pending", "not yet pushed"); // dirty at the time of the disaster

    replica.wipe();
    // The empty cluster has no identity yet: the webservers wait and delete nothing.
    assertThat(a.syncOnce()).isEqualTo(SyncOutcome.WAITING);
    assertThat(a.sync.isDatastoreAvailable()).isFalse();
    replica.initIdentity("cluster-2", 1);

    assertThat(a.syncOnce()).isEqualTo(SyncOutcome.RESEEDED);
    assertThat(b.syncOnce()).isEqualTo(SyncOutcome.RESEEDED);
    syncAll();

    assertThat(a.contents()).containsAllEntriesOf(before).containsEntry("dashboard/pending", "not yet pushed");
    assertThat(contentsOf(replica)).hasSize(11);
    assertConverged();
    assertThat(a.counters().reseeds()).isEqualTo(1);
    assertThat(b.counters().reseeds()).isEqualTo(1);
    assertThat(a.counters().deletedByDatastore() + b.counters().deletedByDatastore()).isZero();
    assertThat(a.store.checkpoint().orElseThrow().clusterId()).isEqualTo("cluster-2");
    List<String> reseedWarnings = warnings().stream().filter(w -> w.contains("re-seeding")).toList();
    assertThat(reseedWarnings).hasSize(2);
    assertThat(reseedWarnings.get(0))
        .contains("DIFFERENT_CLUSTER", "cluster cluster-1 incarnation 1", "cluster cluster-2 incarnation 1");
  }

  /**
   * The window the chaos run `lose-every-disk` found: B had not pulled A's acknowledged delete when every
   * disk was lost. B re-seeds the object; A's remembered delete, newer by last-writer-wins, wins over it
   * whichever of the two re-seeds first.
   */
  @Test
  void anAcknowledgedDeleteStaysDeletedWhenTheClusterLosesEveryDiskBeforeOthersPulledIt() {
    for (boolean deleterFirst : new boolean[] {true, false}) {
      String id = deleterFirst ? "deleter-first" : "holder-first";
      a.put(id, "v1");
      a.put("kept-" + id, "k");
      syncAll();
      tick();
      assertThat(a.delete(id)).isTrue();
      assertThat(a.syncOnce()).isEqualTo(SyncOutcome.SYNCED); // acknowledged; B has not pulled it
      assertThat(b.payload(id)).isEqualTo("v1");

      replica.wipe();
      replica.initIdentity(deleterFirst ? "cluster-2" : "cluster-3", 1);
      TestWebserver first = deleterFirst ? a : b;
      TestWebserver second = deleterFirst ? b : a;
      assertThat(first.syncOnce()).isEqualTo(SyncOutcome.RESEEDED);
      assertThat(second.syncOnce()).isEqualTo(SyncOutcome.RESEEDED);
      syncAll();

      assertThat(contentsOf(replica)).as(id).doesNotContainKey("dashboard/" + id).containsKey("dashboard/kept-" + id);
      assertThat(b.payload(id)).as(id).isNull();
      assertConverged();
    }
    assertThat(a.counters().deletedByDatastore()).isZero();
    assertThat(b.counters().deletedByDatastore()).isPositive();
  }

  @Test
  void aRememberedDeleteIsForgottenOnceOlderThanTheRetention() {
    a.put("x", "1");
    syncAll();
    tick();
    a.delete("x");
    a.syncOnce();
    b.syncOnce();
    ObjectKey x = ObjectKey.newBuilder().setDomain(TestWebserver.DOMAIN).setKind("dashboard").setId("x").build();
    for (TestWebserver w : new TestWebserver[] {a, b}) {
      assertThat(w.store.get(x)).get().satisfies(o -> {
        assertThat(o.rememberedDelete()).isTrue();
        assertThat(o.holdsSyncedData()).isFalse();
      });
      assertThat(w.payload("x")).isNull();
      assertThat(w.store.syncedCount()).isZero();
    }

    clockA.advance(SyncSettings.DEFAULT_TOMBSTONE_RETENTION.minusHours(1));
    assertThat(a.syncOnce()).isIn(SyncOutcome.IDLE, SyncOutcome.SYNCED);
    assertThat(a.store.get(x)).isPresent();
    assertThat(a.counters().deletesForgotten()).isZero();

    clockA.advance(Duration.ofHours(2));
    assertThat(a.syncOnce()).isIn(SyncOutcome.IDLE, SyncOutcome.SYNCED);
    assertThat(a.store.get(x)).isEmpty();
    assertThat(a.counters().deletesForgotten()).isEqualTo(1);

    // Forgotten means no longer pushed by a re-seed: A has nothing left to say about x.
    replica.wipe();
    replica.initIdentity("cluster-2", 1);
    assertThat(a.syncOnce()).isEqualTo(SyncOutcome.RESEEDED);
    assertThat(replica.dump()).noneMatch(o -> o.getKey().equals(x));
  }

  /**
   * A webserver whose objects were all deleted holds remembered deletes, not data: an empty full listing
   * after compaction is the truth then, not a sign the datastore lost everything.
   */
  @Test
  void rememberedDeletesAloneDoNotMakeAnEmptyListingLookLikeALostDatastore() {
    a.put("x", "1");
    syncAll();
    tick();
    a.delete("x");
    a.syncOnce();
    b.syncOnce(); // B pulls the tombstone and holds nothing but the remembered delete
    a.put("z", "1");
    a.syncOnce();
    tick();
    a.delete("z");
    a.syncOnce();
    compactTombstonesOlderThanAWeek();

    assertThat(b.syncOnce()).isEqualTo(SyncOutcome.SYNCED);
    assertThat(b.counters().fullListings()).isEqualTo(1);
    assertThat(b.counters().reseeds()).isZero();
    assertThat(warnings()).noneMatch(w -> w.contains("re-seeding"));
  }

  @Test
  void twoWebserversReseedingAtOnceConvergeByWriteOrder() {
    a.put("x", "old");
    syncAll();
    replica.wipe();
    replica.initIdentity("cluster-2", 1);
    // Both edit x while neither has re-seeded yet: the later stamp must win everywhere.
    tick();
    a.put("x", "a-edit");
    clockB.advance(Duration.ofSeconds(1));
    b.put("x", "b-edit-later");
    assertThat(b.syncOnce()).isEqualTo(SyncOutcome.RESEEDED);
    assertThat(a.syncOnce()).isEqualTo(SyncOutcome.RESEEDED);
    syncAll();
    assertThat(a.payload("x")).isEqualTo("b-edit-later");
    assertConverged();
  }

  @Test
  void rollbackToAnOlderBackupMakesWebserversRepushWhatIsNewer() {
    a.put("x", "v1");
    a.put("y", "y1");
    syncAll();
    InProcessReplica.Backup backup = replica.backup();

    tick();
    a.put("x", "v2");
    b.put("z", "created after the backup");
    a.delete("y"); // deleted after the backup: remembered, so the restore does not bring it back
    syncAll();
    Map<String, String> before = a.contents();
    assertThat(before).doesNotContainKey("dashboard/y");
    long deletedBefore = a.counters().deletedByDatastore() + b.counters().deletedByDatastore();

    replica.restoreFrom(backup);
    assertThat(replica.identity().getIncarnation()).isGreaterThan(1);
    assertThat(contentsOf(replica)).doesNotContainKey("dashboard/z").containsKey("dashboard/y");

    assertThat(a.syncOnce()).isEqualTo(SyncOutcome.RESEEDED);
    assertThat(b.syncOnce()).isEqualTo(SyncOutcome.RESEEDED);
    syncAll();
    assertThat(contentsOf(replica)).isEqualTo(before);
    assertConverged();
    assertThat(warnings()).anyMatch(w -> w.contains("INCARNATION_CHANGED"));
    assertThat(a.counters().deletedByDatastore() + b.counters().deletedByDatastore()).isEqualTo(deletedBefore);
  }

  @Test
  void aWebserverPointedAtAForeignClusterDeletesNothing(@TempDir Path foreignDir) {
    a.put("x", "ours");
    a.put("y", "ours too");
    syncAll();
    try (InProcessReplica foreign = InProcessReplica.create(foreignDir, "foreign")) {
      foreign.write(io.gravwell.datastore.protocol.v1.Batch.newBuilder()
          .addMutations(io.gravwell.datastore.client.Mutations.put("d", "dashboard", "f", "theirs", 5, "ws-f"))
          .build(), 5);
      a.remote.pointAt(foreign);
      assertThat(a.syncOnce()).isEqualTo(SyncOutcome.RESEEDED);
      assertThat(a.contents()).containsEntry("dashboard/x", "ours").containsEntry("dashboard/y", "ours too")
          .containsEntry("dashboard/f", "theirs");
      assertThat(a.counters().deletedByDatastore()).isZero();
      assertThat(warnings()).anyMatch(w -> w.contains("DIFFERENT_CLUSTER") && w.contains("foreign"));
    }
  }

  @Test
  void aDeletionMadeWhileAWebserverWasAwayReachesItByTombstone() {
    a.put("x", "1");
    a.put("y", "2");
    syncAll();
    b.remote.setReachable(false);
    b.syncOnce();
    tick();
    a.delete("x");
    a.syncOnce();
    b.remote.setReachable(true);
    assertThat(b.syncOnce()).isEqualTo(SyncOutcome.SYNCED);
    assertThat(b.payload("x")).isNull();
    assertThat(b.payload("y")).isEqualTo("2");
    assertThat(b.counters().fullListings()).isZero();
    assertConverged();
  }

  @Test
  void aDeletionMadeWhileAWebserverWasAwayReachesItAfterCompactionByAFullListing() {
    for (int i = 0; i < 7; i++) {
      a.put("o" + i, "v" + i); // more than two pages of 3
    }
    syncAll();
    tick();
    a.delete("o1");
    a.delete("o5");
    a.syncOnce();
    compactTombstonesOlderThanAWeek();

    assertThat(b.syncOnce()).isEqualTo(SyncOutcome.SYNCED);
    assertThat(b.counters().fullListings()).isEqualTo(1);
    assertThat(b.payload("o1")).isNull();
    assertThat(b.payload("o5")).isNull();
    assertThat(b.counters().deletedByDatastore()).isEqualTo(2);
    assertThat(b.counters().reseeds()).isZero();
    assertConverged();
  }

  @Test
  void anEmptyFullListingIsNotEvidenceTheWebserverReseedsInstead() {
    a.put("x", "1");
    a.put("y", "2");
    syncAll();
    tick();
    a.delete("x");
    a.delete("y");
    a.syncOnce();
    compactTombstonesOlderThanAWeek();

    // Indistinguishable from a datastore that lost everything: B keeps its copies and re-seeds them.
    assertThat(b.syncOnce()).isEqualTo(SyncOutcome.RESEEDED);
    assertThat(b.payload("x")).isEqualTo("1");
    assertThat(warnings()).anyMatch(w -> w.contains("EMPTY_STORE_WITH_SYNCED_OBJECTS"));
    syncAll();
    assertConverged();
  }

  @Test
  void anIdleCycleSendsOnlyAPing() {
    a.put("x", "1");
    syncAll();
    a.remote.resetCalls();
    assertThat(a.syncOnce()).isEqualTo(SyncOutcome.IDLE);
    assertThat(a.syncOnce()).isEqualTo(SyncOutcome.IDLE);
    assertThat(a.remote.calls("ping")).isEqualTo(2);
    assertThat(a.remote.totalCalls()).isEqualTo(2);
    assertThat(a.counters().idleCycles()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void anIdentityThatChangesMidCycleStopsTheCycleBeforeAnyDeletion() {
    a.put("x", "1");
    syncAll();
    tick();
    b.delete("x");
    b.syncOnce();
    // A's ping sees cluster-1, but the cluster is replaced before A pulls the tombstone.
    InProcessReplica other = InProcessReplica.create(dir.resolve("other"), "cluster-9");
    for (int i = 0; i < 5; i++) { // ahead of A's checkpoint, so only the identity can stop A
      other.write(io.gravwell.datastore.protocol.v1.Batch.newBuilder()
          .addMutations(io.gravwell.datastore.client.Mutations.put("d", "dashboard", "o" + i, "p", 5, "ws-o"))
          .build(), 5);
    }
    try (other) {
      var remote = new io.gravwell.datastore.client.InProcessRemote(replica, clockA) {
        @Override
        public io.gravwell.datastore.protocol.v1.Response changesSince(long after, int limit, long min) {
          pointAt(other);
          return super.changesSince(after, limit, min);
        }
      };
      SyncAgent agent = new SyncAgent(SyncSettings.of(TestWebserver.DOMAIN, "ws-a"), remote, a.store, clockA,
          new java.util.Random(1), SyncListener.NONE);
      assertThat(agent.syncOnce()).isEqualTo(SyncOutcome.ABORTED);
      assertThat(a.payload("x")).isEqualTo("1");
      assertThat(a.store.checkpoint().orElseThrow().clusterId()).isEqualTo("cluster-1");
      assertThat(warnings()).anyMatch(w -> w.contains("identity changed mid-cycle"));
    }
  }

  @Test
  void startedAgentsFollowEachOtherThroughTheWatchStream() {
    SyncSettings slowPoll = SyncSettings.of(TestWebserver.DOMAIN, "x").withUpdateInterval(Duration.ofHours(1));
    a.close();
    b.close();
    a = new TestWebserver("ws-a", dir.resolve("a3"), replica, clockA,
        new SyncSettings("d", "ws-a", slowPoll.updateInterval(), 100, 256, 1 << 19, slowPoll.tombstoneRetention()), SyncListener.NONE);
    b = new TestWebserver("ws-b", dir.resolve("b3"), replica, clockB,
        new SyncSettings("d", "ws-b", slowPoll.updateInterval(), 100, 256, 1 << 19, slowPoll.tombstoneRetention()), SyncListener.NONE);
    a.sync.start();
    b.sync.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> a.sync.isDatastoreAvailable() && b.sync.isDatastoreAvailable());

    a.put("x", "pushed at once");
    await().atMost(Duration.ofSeconds(10)).until(() -> "pushed at once".equals(b.payload("x")));
    tick();
    b.delete("x");
    await().atMost(Duration.ofSeconds(10)).until(() -> a.payload("x") == null);
    await().atMost(Duration.ofSeconds(10)).until(() -> a.store.dirtyCount() == 0 && b.store.dirtyCount() == 0);
  }
}
