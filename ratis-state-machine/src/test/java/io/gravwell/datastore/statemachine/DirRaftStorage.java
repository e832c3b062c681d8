package io.gravwell.datastore.statemachine;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.server.storage.RaftStorageDirectory;
import org.apache.ratis.server.storage.RaftStorageMetadataFile;

/** Just enough of a Ratis storage directory for the state machine: root/current/sm. */
final class DirRaftStorage implements RaftStorage {

  private final Path root;

  DirRaftStorage(Path root) {
    this.root = root;
    try {
      Files.createDirectories(smDir());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Path smDir() {
    return getStorageDir().getStateMachineDir().toPath();
  }

  @Override
  public void initialize() {}

  @Override
  public RaftStorageDirectory getStorageDir() {
    return new RaftStorageDirectory() {
      @Override
      public File getRoot() {
        return root.toFile();
      }

      @Override
      public boolean isHealthy() {
        return true;
      }
    };
  }

  @Override
  public RaftStorageMetadataFile getMetadataFile() {
    throw new UnsupportedOperationException();
  }

  @Override
  public RaftServerConfigKeys.Log.CorruptionPolicy getLogCorruptionPolicy() {
    return RaftServerConfigKeys.Log.CorruptionPolicy.EXCEPTION;
  }

  @Override
  public void close() {}
}
