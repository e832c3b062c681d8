package io.gravwell.datastore.node.cli;

import io.gravwell.datastore.protocol.client.DatastoreConnection;
import io.gravwell.datastore.protocol.v1.Backup;
import io.gravwell.datastore.protocol.v1.BackupChunk;
import io.gravwell.datastore.protocol.v1.Identity;
import io.gravwell.datastore.protocol.v1.Request;
import io.gravwell.datastore.protocol.v1.Response;
import io.gravwell.datastore.statemachine.BackupArchive;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Takes an online backup from one node: the node writes a consistent archive and streams it; this side
 * writes FILE.tmp, checks size and SHA-256 against what the node sent, fsyncs and renames it to FILE.
 */
@Command(name = "backup", mixinStandardHelpOptions = true,
    description = {"Take an online, consistent backup of the cluster's state from one node into one archive file.",
        "Writes continue meanwhile; the archive covers every write up to the revision it reports.",
        "Exit codes: 0 written, 1 failed (node unreachable, refused, transfer broken), 2 bad usage."},
    subcommands = {BackupVerifyCommand.class})
final class BackupCommand implements Callable<Integer> {
  /** Chunks received but not yet on disk before reading from the socket pauses. */
  private static final int QUEUE_HIGH = 8;
  /** The node writes the whole archive before the first chunk: allow for a large store on a slow disk. */
  private static final long IDLE_TIMEOUT_MINUTES = 60;

  @Mixin
  ClientOptions client;

  @Option(names = {"-o", "--out"}, paramLabel = "FILE", description = "archive to write (FILE.tmp until complete)")
  Path out;

  @Option(names = "--force", description = "overwrite FILE if it exists")
  boolean force;

  @Option(names = "--quiet", description = "no progress line")
  boolean quiet;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    if (out == null) {
      throw new CliException(DatastoreCommand.EXIT_USAGE, "give --out FILE (or `datastore backup verify FILE`)");
    }
    if (Files.exists(out) && !force) {
      throw new CliException(DatastoreCommand.EXIT_USAGE, out + " already exists; choose another name or pass --force");
    }
    Path parent = out.toAbsolutePath().getParent();
    if (!Files.isDirectory(parent)) {
      throw new CliException(DatastoreCommand.EXIT_USAGE, "directory " + parent + " does not exist; create it first");
    }
    Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
    return client.run("backup", conn -> {
      try {
        Summary s = receive(conn, tmp);
        Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        fsyncDirectory(parent);
        PrintWriter o = spec.commandLine().getOut();
        o.printf("backup written to %s: cluster id %s, incarnation %d, revision %d, %d bytes, sha256 %s%n",
            out, s.identity().getClusterId(), s.identity().getIncarnation(), s.revision(), s.bytes(), s.sha256());
        o.flush();
        return DatastoreCommand.EXIT_OK;
      } catch (IOException e) {
        throw new CliException(DatastoreCommand.EXIT_FAILED, "backup failed writing " + tmp + ": " + e.getMessage());
      } finally {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // best effort: the .tmp name already says it is incomplete
        }
      }
    });
  }

  private record Summary(Identity identity, long revision, long bytes, String sha256) {}

  private Summary receive(DatastoreConnection conn, Path tmp) throws IOException {
    BlockingQueue<Response> queue = new LinkedBlockingQueue<>();
    conn.stream(Request.newBuilder().setBackup(Backup.getDefaultInstance()), r -> {
      queue.add(r);
      if (queue.size() >= QUEUE_HIGH) {
        conn.setReading(false);
      }
    });
    ProgressBar progress = new ProgressBar(spec.commandLine().getErr(), quiet);
    progress.note("the node is confirming it is current, then writing the archive ...");
    MessageDigest sha = BackupArchive.sha256();
    long written = 0;
    long total = -1;
    Identity identity = null;
    try (FileChannel file = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      while (true) {
        Response r = next(conn, queue);
        if (r.hasError()) {
          progress.done();
          throw new CliException(DatastoreCommand.EXIT_FAILED, "the node refused or failed the backup: "
              + r.getError().getCode() + ": " + r.getError().getMessage());
        }
        BackupChunk c = r.getBackupChunk();
        if (total < 0) {
          total = c.getTotalBytes();
          identity = r.getIdentity();
          progress.note(String.format("backup at revision %d: %.1f MiB", c.getRevision(), total / ProgressBar.MIB));
          progress.start(total);
          continue;
        }
        if (c.getOffset() != written) {
          throw new IOException("chunk at offset " + c.getOffset() + " arrived after " + written + " bytes");
        }
        if (c.getLast()) {
          String digest = BackupArchive.hex(sha);
          if (written != total || !digest.equals(c.getArchiveSha256())) {
            throw new IOException("transfer damaged: got " + written + " bytes with sha256 " + digest
                + ", the node sent " + total + " bytes with sha256 " + c.getArchiveSha256());
          }
          file.force(true);
          progress.done();
          return new Summary(identity, c.getRevision(), written, digest);
        }
        var data = c.getData().asReadOnlyByteBuffer();
        sha.update(data.duplicate());
        while (data.hasRemaining()) {
          file.write(data);
        }
        written += c.getData().size();
        progress.update(written);
      }
    }
  }

  private static Response next(DatastoreConnection conn, BlockingQueue<Response> queue) {
    try {
      Response r = queue.poll(1, TimeUnit.SECONDS);
      long idleSince = System.nanoTime();
      while (r == null) {
        if (!conn.isOpen() && queue.isEmpty()) {
          throw new CliException(DatastoreCommand.EXIT_FAILED, "the connection to the node closed before the backup was complete");
        }
        if (System.nanoTime() - idleSince > TimeUnit.MINUTES.toNanos(IDLE_TIMEOUT_MINUTES)) {
          throw new CliException(DatastoreCommand.EXIT_FAILED, "the node sent nothing for " + IDLE_TIMEOUT_MINUTES + " minutes");
        }
        r = queue.poll(1, TimeUnit.SECONDS);
      }
      if (queue.size() <= 1) {
        conn.setReading(true);
      }
      return r;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(DatastoreCommand.EXIT_FAILED, "interrupted");
    }
  }

  private static void fsyncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // Some file systems cannot sync a directory; the file itself is synced.
    }
  }
}
