package io.gravwell.datastore.statemachine;

import io.gravwell.datastore.statemachine.v1.BackupManifest;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.server.storage.RaftStorageMetadata;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.util.MD5FileUtil;
import org.apache.ratis.util.SizeInBytes;

/**
 * Turns a backup archive into the Raft storage of one node of a new cluster.
 *
 * <p>Revisions are Raft log indexes, so the new group's log must continue above the backup's revision R.
 * The restored store is therefore written as the state machine's snapshot at (term 1, index R) in Ratis'
 * own layout, next to a freshly formatted raft-meta (current term 1) and no log segments. Ratis then opens the log empty
 * with its snapshot and commit index at R, so the first entry (the new leader's configuration) is R + 1;
 * followers agree with the leader on the entry before it because both hold the same snapshot term and
 * index; a node started empty beside them gets that snapshot installed by the leader.
 *
 * <p>The identity keeps its cluster id. Its incarnation is left pending (at least the archive's + 1):
 * every node restored from one file holds exactly the same state, and the first leader commits the new
 * incarnation from its entry's time, so two restores of one archive never share an identity (see
 * {@link StoreMeta.PendingIdentity}). Until then the nodes answer like a cluster still initializing.
 */
public final class BackupRestore {
  /**
   * Term of the restored snapshot, also written as the current term. Ratis treats a last entry of term 0
   * as an empty log and refuses such voters, so it must be at least 1; new leaders are elected at 2 and up.
   */
  static final long SNAPSHOT_TERM = 1;

  private BackupRestore() {}

  /** What a restore produced. */
  /** @param minIncarnation the lowest incarnation the restored cluster will take (the archive's + 1) */
  public record Restored(BackupManifest manifest, long minIncarnation, long snapshotIndex, Path snapshotFile) {}

  /**
   * Verifies {@code archive} and writes the Raft storage of group {@code groupUuid} into {@code raftDir},
   * which must not exist yet (it appears complete or not at all). {@code workDir} holds temporary files
   * and is removed afterwards.
   */
  public static Restored restore(Path archive, Path raftDir, String groupUuid, Path workDir, StoreEngine engine)
      throws IOException {
    return restore(archive, raftDir, groupUuid, workDir, engine, BackupProgress.NONE);
  }

  /**
   * {@link #restore(Path, Path, String, Path, StoreEngine)}, telling {@code progress} while the archive is
   * verified, which reads every byte; writing the snapshot afterwards is one local copy and not reported.
   */
  public static Restored restore(Path archive, Path raftDir, String groupUuid, Path workDir, StoreEngine engine,
      BackupProgress progress) throws IOException {
    if (Files.exists(raftDir)) {
      throw new IOException("Raft storage " + raftDir + " already exists; restore needs an empty data directory");
    }
    try {
      BackupManifest manifest = BackupArchive.verify(archive, workDir, engine, progress);
      long revision = manifest.getRevision();
      long incarnation = manifest.getIncarnation() + 1;
      StoreMeta.PendingIdentity pending = new StoreMeta.PendingIdentity(manifest.getClusterId(), incarnation);
      Path absolute = raftDir.toAbsolutePath();
      Path staging = absolute.resolveSibling(absolute.getFileName() + ".restoring");
      ZipArchives.deleteRecursively(staging);
      File smDir = formatStorage(staging.resolve(groupUuid));
      Path snapshot = smDir.toPath().resolve(SimpleStateMachineStorage.getSnapshotFileName(SNAPSHOT_TERM, revision));
      try (ObjectStore store = engine.open(BackupArchive.unpackedStore(workDir))) {
        store.write(txn -> {
          txn.setPendingIdentity(pending);
          txn.setLastApplied(new AppliedPosition(SNAPSHOT_TERM, revision));
          return null;
        });
        store.backupTo(snapshot);
      }
      BackupArchive.fsync(snapshot);
      MD5FileUtil.computeAndSaveMd5ForFile(snapshot.toFile());
      Files.createDirectories(absolute.getParent());
      Files.move(staging, absolute, StandardCopyOption.ATOMIC_MOVE);
      return new Restored(manifest, incarnation, revision, absolute.resolve(staging.relativize(snapshot)));
    } finally {
      ZipArchives.deleteRecursively(workDir);
    }
  }

  /** Ratis' own FORMAT of a storage directory, at the snapshot's term; returns its state-machine directory. */
  private static File formatStorage(Path groupDir) throws IOException {
    Files.createDirectories(groupDir);
    RaftStorage storage = RaftStorage.newBuilder()
        .setDirectory(groupDir.toFile())
        .setOption(RaftStorage.StartupOption.FORMAT)
        .setStorageFreeSpaceMin(SizeInBytes.ZERO)
        .build();
    storage.initialize();
    try {
      RaftStorageMetadata formatted = storage.getMetadataFile().getMetadata();
      storage.getMetadataFile().persist(RaftStorageMetadata.valueOf(SNAPSHOT_TERM, formatted.getVotedFor()));
      File sm = storage.getStorageDir().getStateMachineDir();
      Files.createDirectories(sm.toPath());
      return sm;
    } finally {
      storage.close();
    }
  }
}
