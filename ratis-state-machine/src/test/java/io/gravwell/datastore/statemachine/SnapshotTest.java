package io.gravwell.datastore.statemachine;

import static io.gravwell.datastore.statemachine.Entries.delete;
import static io.gravwell.datastore.statemachine.Entries.initIdentity;
import static io.gravwell.datastore.statemachine.Entries.key;
import static io.gravwell.datastore.statemachine.Entries.put;
import static io.gravwell.datastore.statemachine.Entries.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.gravwell.datastore.protocol.v1.StoredObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.util.LifeCycle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotTest {

  @TempDir Path dirA;
  @TempDir Path dirB;

  static void applySome(Machine m, int entries) {
    for (int i = 0; i < entries; i++) {
      long index = m.lastIndex() + 1;
      m.apply(write(1_000 + index, put(key("k" + (index % 3)), "v" + index, index, "ws"),
          delete(key("gone" + index), index, "ws")));
    }
  }

  /** Copies snapshot files the way Ratis ships them: the file and its .md5, into the sm directory. */
  static void shipSnapshot(Machine from, Path toSmDir) throws IOException {
    shipSnapshot(from.raftStorage.smDir(), toSmDir);
  }

  static void shipSnapshot(Path fromSmDir, Path toSmDir) throws IOException {
    Files.createDirectories(toSmDir);
    try (Stream<Path> files = Files.list(fromSmDir)) {
      for (Path p : files.filter(p -> p.getFileName().toString().startsWith("snapshot.")).toList()) {
        Files.copy(p, toSmDir.resolve(p.getFileName()));
      }
    }
  }

  @Test
  void snapshotRoundTripRestoresTheStateAtSnapshotTime() throws Exception {
    List<StoredObject> atSnapshot;
    try (Machine a = Machine.open(dirA)) {
      a.apply(initIdentity(1, "cluster-A"));
      applySome(a, 5);
      assertThat(a.sm.takeSnapshot()).isEqualTo(6);
      atSnapshot = a.sm.dump();
      SingleFileSnapshotInfo info = a.sm.getLatestSnapshot();
      assertThat(info.getTermIndex()).isEqualTo(TermIndex.valueOf(Machine.TERM, 6));
      assertThat(info.getFile().getPath().getFileName().toString()).isEqualTo("snapshot.1_6");
      assertThat(info.hasMd5()).isTrue();
      applySome(a, 3);
      assertThat(a.sm.dump()).isNotEqualTo(atSnapshot);
      shipSnapshot(a, new DirRaftStorage(dirB).smDir());
    }

    try (Machine b = Machine.open(dirB)) {
      assertThat(b.sm.dump()).isEqualTo(atSnapshot);
      assertThat(b.sm.appliedIndex()).isEqualTo(6);
      assertThat(b.sm.getLastAppliedTermIndex()).isEqualTo(TermIndex.valueOf(Machine.TERM, 6));
      assertThat(b.sm.currentIdentity().getClusterId()).isEqualTo("cluster-A");
    }
  }

  @Test
  void initializeRestoresWhenTheStoreIsBehindTheSnapshot() throws Exception {
    List<StoredObject> atSnapshot;
    Path aSmDir;
    try (Machine a = Machine.open(dirA)) {
      applySome(a, 6);
      a.sm.takeSnapshot();
      atSnapshot = a.sm.dump();
      aSmDir = a.raftStorage.smDir();
    }
    Machine b = Machine.open(dirB);
    applySome(b, 2); // the same first two entries: b is behind a
    b.close();
    shipSnapshot(aSmDir, b.raftStorage.smDir());

    Machine reopened = b.restart();
    try {
      assertThat(reopened.sm.dump()).isEqualTo(atSnapshot);
      assertThat(reopened.sm.appliedIndex()).isEqualTo(6);
    } finally {
      reopened.close();
    }
  }

  @Test
  void aStoreAheadOfTheSnapshotIsKept() throws Exception {
    try (Machine a = Machine.open(dirA)) {
      applySome(a, 3);
      a.sm.takeSnapshot();
      applySome(a, 2);
    }
    try (Machine again = Machine.open(dirA)) {
      assertThat(again.sm.appliedIndex()).isEqualTo(5);
      assertThat(again.sm.getLastAppliedTermIndex().getIndex())
          .as("Ratis replays from the snapshot and the store skips what it has").isEqualTo(3);
      again.setNextIndex(4);
      applySome(again, 2);
      applySome(again, 1);
      assertThat(again.sm.dump()).filteredOn(o -> o.getModRev() == 6).isNotEmpty();
    }
  }

  @Test
  void reinitializeAfterAnInstalledSnapshotRestoresIt() throws Exception {
    Machine a = Machine.open(dirA);
    applySome(a, 8);
    a.sm.takeSnapshot();
    List<StoredObject> atSnapshot = a.sm.dump();

    try (Machine b = Machine.open(dirB)) {
      applySome(b, 2);
      // What Ratis does on a follower: pause, swap the whole sm directory for the received one, reload.
      b.sm.pause();
      assertThat(b.sm.getLifeCycleState()).isEqualTo(LifeCycle.State.PAUSED);
      Path sm = b.raftStorage.smDir();
      ZipArchives.deleteRecursively(sm);
      shipSnapshot(a, sm);
      b.sm.reinitialize();

      assertThat(b.sm.getLifeCycleState()).isEqualTo(LifeCycle.State.RUNNING);
      assertThat(b.sm.dump()).isEqualTo(atSnapshot);
      assertThat(b.sm.getLastAppliedTermIndex().getIndex()).isEqualTo(8);
      b.setNextIndex(9);
      applySome(b, 1);
      assertThat(b.sm.appliedIndex()).isEqualTo(9);
    } finally {
      a.close();
    }
  }

  @Test
  void pauseAndResumeWithoutANewSnapshotKeepsTheStore() throws Exception {
    try (Machine a = Machine.open(dirA)) {
      applySome(a, 2);
      a.sm.takeSnapshot();
      applySome(a, 2);
      List<StoredObject> before = a.sm.dump();

      a.sm.pause();
      a.sm.reinitialize();

      assertThat(a.sm.dump()).isEqualTo(before);
      assertThat(a.sm.appliedIndex()).isEqualTo(4);
      assertThat(a.sm.getLastAppliedTermIndex().getIndex()).isEqualTo(4);
    }
  }

  @Test
  void snapshotCoversEntriesWithoutData() throws Exception {
    try (Machine a = Machine.open(dirA)) {
      applySome(a, 2);
      a.sm.notifyTermIndexUpdated(1, 3);
      assertThat(a.sm.takeSnapshot()).isEqualTo(3);
      assertThat(a.sm.takeSnapshot()).as("nothing new: same snapshot").isEqualTo(3);
      shipSnapshot(a, new DirRaftStorage(dirB).smDir());
    }
    try (Machine b = Machine.open(dirB)) {
      assertThat(b.sm.appliedIndex()).isEqualTo(3);
    }
  }
}
