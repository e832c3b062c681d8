package io.gravwell.datastore.node.cli;

import io.gravwell.datastore.node.config.NodeConfig;
import io.gravwell.datastore.node.raft.RaftSettings;
import io.gravwell.datastore.statemachine.BackupArchive;
import io.gravwell.datastore.statemachine.BackupRestore;
import io.gravwell.datastore.statemachine.XodusObjectStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.StandardOpenOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Bootstraps one node of a new cluster from a backup. Run it on every node with the same FILE, then start
 * the nodes: they come up with the backup's state and the same cluster id, their log continues above the
 * backup's revision, and their first leader commits a new incarnation unique to this restore.
 */
@Command(name = "restore", mixinStandardHelpOptions = true,
    description = {"Bootstrap this node of a fresh cluster from a backup archive (run it on every node with the",
        "same FILE while the nodes are stopped, then start them). Keeps the cluster id and bumps the incarnation,",
        "so webservers re-push what is newer than the backup instead of deleting anything.",
        "Shows a progress bar on stderr while verifying (--quiet: none); the result goes to stdout.",
        "Exit codes: 0 restored, 1 corrupt backup or failure, 2 bad usage, bad config or non-empty data directory."})
final class RestoreCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "FILE", description = "the backup archive")
  Path file;

  @Option(names = {"-c", "--config"}, required = true, description = "this node's config (data directory, Raft group)")
  Path config;

  @Option(names = "--force", description = "delete what the data directory holds first (after FILE is verified)")
  boolean force;

  @Option(names = "--quiet", description = "no progress bar")
  boolean quiet;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    NodeConfig cfg = NodeConfig.load(config, System.getenv());
    if (!Files.isRegularFile(file)) {
      throw new CliException(DatastoreCommand.EXIT_USAGE, "backup file " + file + " does not exist or is not a file");
    }
    Path dataDir = cfg.dataDir();
    PrintWriter err = spec.commandLine().getErr();
    List<String> present = contents(dataDir);
    refuseIfInUse(RaftSettings.raftDir(dataDir).resolve(cfg.raftGroupId().toString()).resolve("in_use.lock"));
    if (!present.isEmpty()) {
      if (!force) {
        throw new CliException(DatastoreCommand.EXIT_USAGE, "data directory " + dataDir + " is not empty (holds "
            + String.join(", ", present) + "); restore bootstraps a new cluster: stop the node and move the directory"
            + " away, or pass --force to delete its contents");
      }
      BackupVerifyCommand.check(file, dataDir, err, quiet);
      err.printf("--force: deleting %s from %s%n", String.join(", ", present), dataDir);
      err.flush();
      deleteContents(dataDir);
    }
    ProgressBar bar = new ProgressBar(err, quiet);
    try {
      Files.createDirectories(dataDir);
      err.printf("verifying and restoring %s into %s ...%n", file, dataDir);
      err.flush();
      BackupRestore.Restored r = BackupRestore.restore(file, RaftSettings.raftDir(dataDir),
          cfg.raftGroupId().toString(), dataDir.resolve("restore-tmp"), XodusObjectStore.ENGINE, bar);
      bar.done(); // before stdout, or on a terminal the result would continue the bar's line
      PrintWriter out = spec.commandLine().getOut();
      out.printf("restored node %s: cluster id %s, revision %d (backup had incarnation %d); once started, the "
              + "first leader commits a new incarnation above it, unique to this restore; new writes get revisions "
              + "above %d%n", cfg.nodeId(), r.manifest().getClusterId(), r.snapshotIndex(),
          r.manifest().getIncarnation(), r.snapshotIndex());
      out.printf("next: restore every other node from the same file, then start them (datastore serve -c %s)%n", config);
      out.flush();
      return DatastoreCommand.EXIT_OK;
    } catch (BackupArchive.BackupCorruptException e) {
      throw new CliException(DatastoreCommand.EXIT_FAILED, "backup " + file + " is corrupt: " + e.getMessage()
          + "; nothing was restored");
    } catch (IOException e) {
      throw new CliException(DatastoreCommand.EXIT_FAILED, "restore into " + dataDir + " failed: " + e.getMessage());
    } finally {
      bar.done();
    }
  }

  /** Ratis holds this lock while a node runs on the directory; --force must never pull data from under it. */
  private static void refuseIfInUse(Path lockFile) {
    if (!Files.exists(lockFile)) {
      return;
    }
    try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
      FileLock lock = ch.tryLock();
      if (lock != null) {
        lock.release();
        return;
      }
    } catch (OverlappingFileLockException e) {
      // held by this very process
    } catch (IOException e) {
      return;
    }
    throw new CliException(DatastoreCommand.EXIT_USAGE, "a datastore node is running on this data directory ("
        + lockFile + " is locked); stop it first");
  }

  private static List<String> contents(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> children = Files.list(dir)) {
      return children.map(p -> p.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw new CliException(DatastoreCommand.EXIT_USAGE, "cannot read data directory " + dir + ": " + e.getMessage());
    }
  }

  private static void deleteContents(Path dir) {
    try (Stream<Path> children = Files.list(dir)) {
      for (Path p : children.toList()) {
        BackupArchive.deleteTree(p);
      }
    } catch (IOException e) {
      throw new CliException(DatastoreCommand.EXIT_FAILED, "could not empty " + dir + ": " + e.getMessage());
    }
  }
}
