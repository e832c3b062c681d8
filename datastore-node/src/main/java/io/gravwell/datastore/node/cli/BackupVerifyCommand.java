package io.gravwell.datastore.node.cli;

import io.gravwell.datastore.statemachine.BackupArchive;
import io.gravwell.datastore.statemachine.XodusObjectStore;
import io.gravwell.datastore.statemachine.v1.BackupManifest;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Checks a backup archive without any cluster: manifest, every checksum, and the store itself. */
@Command(name = "verify", mixinStandardHelpOptions = true,
    description = {"Check a backup archive without a cluster: the manifest is present and intact, every file",
        "matches its SHA-256, and the store opens holding the identity and revision the manifest names.",
        "Shows a progress bar on stderr while hashing (--quiet: none); the result goes to stdout.",
        "Exit codes: 0 intact, 1 corrupt (the message names the damaged part), 2 bad usage or missing file."})
final class BackupVerifyCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "FILE", description = "the backup archive")
  Path file;

  @Option(names = "--work-dir", paramLabel = "DIR",
      description = "where to unpack the store while checking it (default: next to FILE); removed afterwards")
  Path workDir;

  @Option(names = "--quiet", description = "no progress bar")
  boolean quiet;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    BackupManifest m = check(file, workDir, spec.commandLine().getErr(), quiet);
    PrintWriter out = spec.commandLine().getOut();
    out.printf("backup %s is intact: cluster id %s, incarnation %d, revision %d, %d objects (%d tombstones), "
            + "taken %s by node %s%n", file, m.getClusterId(), m.getIncarnation(), m.getRevision(),
        m.getObjectCount(), m.getTombstoneCount(), Instant.ofEpochMilli(m.getCreatedAtMs()), m.getCreatedByNode());
    out.flush();
    return DatastoreCommand.EXIT_OK;
  }

  /**
   * Verifies FILE, unpacking into a fresh directory under {@code workDir} (or next to FILE); removes it after.
   * Draws a progress bar on {@code err} unless {@code quiet}.
   */
  static BackupManifest check(Path file, Path workDir, PrintWriter err, boolean quiet) {
    if (!Files.isRegularFile(file)) {
      throw new CliException(DatastoreCommand.EXIT_USAGE, "backup file " + file + " does not exist or is not a file");
    }
    Path dir = null;
    ProgressBar bar = new ProgressBar(err, quiet);
    try {
      Path base = workDir != null ? workDir : file.toAbsolutePath().getParent();
      Files.createDirectories(base);
      dir = Files.createTempDirectory(base, ".datastore-verify-");
      err.printf("verifying %s ...%n", file);
      err.flush();
      return BackupArchive.verify(file, dir, XodusObjectStore.ENGINE, bar);
    } catch (BackupArchive.BackupCorruptException e) {
      throw new CliException(DatastoreCommand.EXIT_FAILED, "backup " + file + " is corrupt: " + e.getMessage()
          + "; take a new backup or use an older one");
    } catch (IOException e) {
      throw new CliException(DatastoreCommand.EXIT_FAILED, "cannot check " + file + ": " + e.getMessage());
    } finally {
      bar.done();
      if (dir != null) {
        try {
          BackupArchive.deleteTree(dir);
        } catch (IOException e) {
          err.printf("could not remove %s: %s%n", dir, e.getMessage());
        }
      }
    }
  }
}
