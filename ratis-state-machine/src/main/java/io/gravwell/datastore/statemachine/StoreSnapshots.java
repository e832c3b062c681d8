package io.gravwell.datastore.statemachine;

import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.apache.ratis.io.MD5Hash;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.util.MD5FileUtil;

/**
 * Snapshots as Ratis expects them: one file "snapshot.TERM_INDEX" plus its ".md5" in the state-machine
 * directory, so Ratis' own install-snapshot transfer can ship them to followers. The file is a backup
 * written by the {@link ObjectStore}.
 */
final class StoreSnapshots {

  private final SimpleStateMachineStorage storage;

  StoreSnapshots(SimpleStateMachineStorage storage) {
    this.storage = storage;
  }

  SingleFileSnapshotInfo latest() {
    return storage.getLatestSnapshot();
  }

  /** Rescans the directory: Ratis may have put a newer snapshot there (install from the leader). */
  SingleFileSnapshotInfo reloadLatest() {
    return storage.loadLatestSnapshot();
  }

  SingleFileSnapshotInfo take(ObjectStore store, TermIndex label) throws IOException {
    File file = storage.getSnapshotFile(label.getTerm(), label.getIndex());
    // Written under another name and moved into place once complete and synced, so a crash never leaves
    // a truncated file that matches the snapshot name pattern.
    Path partial = file.toPath().resolveSibling(file.getName() + ".partial");
    store.backupTo(partial);
    try (FileChannel ch = FileChannel.open(partial, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
    Files.move(partial, file.toPath(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    MD5Hash md5 = MD5FileUtil.computeAndSaveMd5ForFile(file);
    return storage.updateLatestSnapshot(new SingleFileSnapshotInfo(new FileInfo(file.toPath(), md5), label));
  }

  /** Replaces the store in {@code storeDir} (which must be closed) with the snapshot's content. */
  static void restore(SingleFileSnapshotInfo snapshot, StoreEngine engine, Path storeDir) throws IOException {
    Path file = snapshot.getFile().getPath();
    if (!Files.isRegularFile(file)) {
      throw new IOException("snapshot file " + file + " is missing");
    }
    MD5Hash md5 = snapshot.getFile().getFileDigest();
    if (md5 != null) {
      MD5FileUtil.verifySavedMD5(file.toFile(), md5);
    }
    engine.restore(file, storeDir);
  }
}
