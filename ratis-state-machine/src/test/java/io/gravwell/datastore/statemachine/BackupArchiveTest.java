package io.gravwell.datastore.statemachine;

import static io.gravwell.datastore.statemachine.Entries.initIdentity;
import static io.gravwell.datastore.statemachine.Entries.key;
import static io.gravwell.datastore.statemachine.Entries.put;
import static io.gravwell.datastore.statemachine.Entries.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gravwell.datastore.protocol.v1.Identity;
import io.gravwell.datastore.statemachine.v1.BackupManifest;
import io.gravwell.datastore.statemachine.v1.LogEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Archive, verify and restore without Raft: what a restored node's state machine starts from. */
class BackupArchiveTest {
  private static final String GROUP = "6d1c9a4e-2f57-4b83-9e0a-5c7d3b1f8a26";

  @TempDir Path dir;

  @Test
  void everyNodeRestoredFromOneArchiveStartsFromTheSameStateAboveTheBackupsRevision() throws Exception {
    Path archive = dir.resolve("b.dsbak");
    BackupManifest manifest;
    java.util.List<io.gravwell.datastore.protocol.v1.StoredObject> original;
    try (Machine m = Machine.open(dir.resolve("source"))) {
      m.apply(initIdentity(1_000, "cluster-x"));
      SnapshotTest.applySome(m, 30);
      manifest = m.sm.writeBackup(dir.resolve("work"), archive, "n1");
      assertThat(manifest.getRevision()).isEqualTo(m.lastIndex());
      assertThat(manifest.getClusterId()).isEqualTo("cluster-x");
      assertThat(manifest.getIncarnation()).isEqualTo(1);
      assertThat(manifest.getEntriesList()).allMatch(e -> e.getName().startsWith("store/") && e.getSha256().length() == 64);
      original = m.sm.dump();
    }
    assertThat(dir.resolve("work").resolve("store")).doesNotExist();

    Identity[] identities = new Identity[2];
    Object[] dumps = new Object[2];
    for (int n = 0; n < 2; n++) {
      Path raft = dir.resolve("node" + n).resolve("raft");
      BackupRestore.Restored r = BackupRestore.restore(archive, raft, GROUP, dir.resolve("node" + n).resolve("tmp"),
          XodusObjectStore.ENGINE);
      assertThat(r.minIncarnation()).isEqualTo(2);
      assertThat(r.snapshotFile().getFileName().toString()).isEqualTo("snapshot.1_" + manifest.getRevision());
      assertThat(raft.resolve(GROUP).resolve("current").resolve("raft-meta")).exists();
      assertThat(dir.resolve("node" + n).resolve("tmp")).doesNotExist();
      try (Machine restored = Machine.open(raft.resolve(GROUP))) {
        dumps[n] = restored.sm.dump();
        assertThat(restored.sm.getLastAppliedTermIndex().getIndex()).isEqualTo(manifest.getRevision());
        // Until the first leader commits the new incarnation the restored node looks like one initializing.
        assertThat(restored.sm.hasIdentity()).isFalse();
        assertThat(restored.sm.currentIdentity().getClusterId()).isEmpty();
        // The next entry is the first of the new group's log: its revision is above the backup's.
        restored.setNextIndex(manifest.getRevision() + 1);
        restored.apply(LogEntry.parseFrom(restored.sm.proposeIdentityFor(new java.util.Random(n), 5_000).getContent().toByteArray()));
        identities[n] = restored.sm.currentIdentity();
        var result = restored.apply(write(5_000, put(key("after"), "x", 5_000, "ws")));
        assertThat(result.getWrite().getRevision()).isEqualTo(manifest.getRevision() + 2);
      }
    }
    assertThat(identities[0]).isEqualTo(identities[1]);
    assertThat(identities[0].getClusterId()).isEqualTo("cluster-x");
    assertThat(identities[0].getIncarnation()).isEqualTo(5_000);
    assertThat(identities[0].getRevision()).isEqualTo(manifest.getRevision() + 1);
    assertThat(dumps[0]).isEqualTo(dumps[1]).isEqualTo(original);
  }

  @Test
  void twoRestoresOfOneArchiveNeverShareAnIdentity() throws Exception {
    Path archive = dir.resolve("b.dsbak");
    try (Machine m = Machine.open(dir.resolve("source"))) {
      m.apply(initIdentity(1_000, "cluster-x"));
      SnapshotTest.applySome(m, 5);
      m.sm.writeBackup(dir.resolve("work"), archive, "n1");
    }
    long[] incarnations = new long[2];
    long[] restoredAt = {1_000_000, 2_000_000};
    for (int n = 0; n < 2; n++) {
      Path raft = dir.resolve("restore" + n).resolve("raft");
      BackupRestore.restore(archive, raft, GROUP, dir.resolve("restore" + n).resolve("tmp"), XodusObjectStore.ENGINE);
      Machine restored = Machine.open(raft.resolve(GROUP));
      try {
        restored.setNextIndex(restored.sm.getLastAppliedTermIndex().getIndex() + 1);
        // Whatever a leader proposes (here a stray fresh identity), a restored store keeps its cluster id
        // and takes its incarnation from the entry's time.
        restored.apply(initIdentity(restoredAt[n], "some-other-cluster"));
        Identity id = restored.sm.currentIdentity();
        assertThat(id.getClusterId()).isEqualTo("cluster-x");
        incarnations[n] = id.getIncarnation();
        // A second InitIdentity changes nothing: the first one committed wins, on every replica alike.
        restored.apply(initIdentity(restoredAt[n] + 5, "cluster-x"));
        assertThat(restored.sm.currentIdentity().getIncarnation()).isEqualTo(incarnations[n]);
        // And it survives a restart.
        restored = restored.restart();
        assertThat(restored.sm.currentIdentity().getIncarnation()).isEqualTo(incarnations[n]);
      } finally {
        restored.close();
      }
    }
    assertThat(incarnations[0]).isEqualTo(restoredAt[0]);
    assertThat(incarnations[1]).isEqualTo(restoredAt[1]).isNotEqualTo(incarnations[0]);
  }

  @Test
  void restoreRefusesExistingRaftStorage() throws Exception {
    Path archive = dir.resolve("b.dsbak");
    try (Machine m = Machine.open(dir.resolve("source"))) {
      m.apply(initIdentity(1_000, "cluster-x"));
      m.sm.writeBackup(dir.resolve("work"), archive, "n1");
    }
    Path raft = Files.createDirectories(dir.resolve("node").resolve("raft"));
    assertThatThrownBy(() -> BackupRestore.restore(archive, raft, GROUP, dir.resolve("tmp"), XodusObjectStore.ENGINE))
        .hasMessageContaining(raft + " already exists");
  }

  @Test
  void aStoreWithoutIdentityIsNotABackup() throws Exception {
    Path archive = dir.resolve("b.dsbak");
    try (Machine m = Machine.open(dir.resolve("source"))) {
      m.sm.writeBackup(dir.resolve("work"), archive, "n1");
    }
    assertThatThrownBy(() -> BackupArchive.verify(archive, dir.resolve("check"), XodusObjectStore.ENGINE))
        .isInstanceOf(BackupArchive.BackupCorruptException.class)
        .hasMessageContaining("store has no cluster identity");
  }
}
