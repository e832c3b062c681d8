package io.gravwell.datastore.statemachine;

import static io.gravwell.datastore.statemachine.Entries.initIdentity;
import static io.gravwell.datastore.statemachine.Entries.key;
import static io.gravwell.datastore.statemachine.Entries.put;
import static io.gravwell.datastore.statemachine.Entries.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gravwell.datastore.protocol.v1.Identity;
import io.gravwell.datastore.statemachine.v1.BackupManifest;
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
      assertThat(r.incarnation()).isEqualTo(2);
      assertThat(r.snapshotFile().getFileName().toString()).isEqualTo("snapshot.1_" + manifest.getRevision());
      assertThat(raft.resolve(GROUP).resolve("current").resolve("raft-meta")).exists();
      assertThat(dir.resolve("node" + n).resolve("tmp")).doesNotExist();
      try (Machine restored = Machine.open(raft.resolve(GROUP))) {
        identities[n] = restored.sm.currentIdentity();
        dumps[n] = restored.sm.dump();
        assertThat(restored.sm.getLastAppliedTermIndex().getIndex()).isEqualTo(manifest.getRevision());
        // The next entry is the first of the new group's log: its revision is above the backup's.
        restored.setNextIndex(manifest.getRevision() + 1);
        var result = restored.apply(write(5_000, put(key("after"), "x", 5_000, "ws")));
        assertThat(result.getWrite().getRevision()).isEqualTo(manifest.getRevision() + 1);
      }
    }
    assertThat(identities[0]).isEqualTo(identities[1]);
    assertThat(identities[0].getClusterId()).isEqualTo("cluster-x");
    assertThat(identities[0].getIncarnation()).isEqualTo(2);
    assertThat(identities[0].getRevision()).isEqualTo(manifest.getRevision());
    assertThat(dumps[0]).isEqualTo(dumps[1]).isEqualTo(original);
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
