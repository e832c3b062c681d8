package io.gravwell.datastore.node.service;

import io.gravwell.datastore.node.net.ResponseStream;
import io.gravwell.datastore.protocol.v1.Backup;
import io.gravwell.datastore.protocol.v1.BackupChunk;
import io.gravwell.datastore.protocol.v1.ErrorCode;
import io.gravwell.datastore.protocol.v1.Identity;
import io.gravwell.datastore.protocol.v1.Response;
import io.gravwell.datastore.protocol.wire.Frames;
import io.gravwell.datastore.statemachine.BackupArchive;
import io.gravwell.datastore.statemachine.DatastoreStateMachine;
import io.gravwell.datastore.statemachine.v1.BackupManifest;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves Backup requests: writes the archive into the node's data directory on a thread of its own, then
 * streams it in chunks, sending the next one only when the previous one is on the socket, so a slow reader
 * costs a chunk of heap, never the archive. One backup at a time per node bounds the disk used.
 */
public final class BackupStreams {
  private static final Logger LOG = LoggerFactory.getLogger(BackupStreams.class);
  static final int DEFAULT_CHUNK_BYTES = 1 << 20;
  private static final long WRITE_TIMEOUT_SECONDS = 120;

  private final DatastoreStateMachine stateMachine;
  private final Path workRoot;
  private final String nodeId;
  private final int maxChunkBytes;
  private final AtomicBoolean running = new AtomicBoolean();

  /**
   * @param workRoot a directory of its own on the data disk; emptied before and after every backup
   * @param maxFrameBytes the client port's frame limit; chunks stay well below it
   */
  public BackupStreams(DatastoreStateMachine stateMachine, Path workRoot, String nodeId, int maxFrameBytes) {
    this.stateMachine = stateMachine;
    this.workRoot = workRoot;
    this.nodeId = nodeId;
    this.maxChunkBytes = Math.max(4096, Math.min(DEFAULT_CHUNK_BYTES, maxFrameBytes - 64 * 1024));
  }

  public void start(Backup request, ResponseStream out) {
    if (!stateMachine.hasIdentity()) {
      out.send(Frames.error(0, ErrorCode.CLUSTER_INITIALIZING, "the cluster has no identity yet: nothing to back up"));
      return;
    }
    if (!running.compareAndSet(false, true)) {
      out.send(Frames.error(0, ErrorCode.BACKUP_IN_PROGRESS,
          "node " + nodeId + " is already streaming a backup; retry when it is done or ask another node"));
      return;
    }
    int chunk = request.getChunkBytes() == 0 ? maxChunkBytes : Math.max(4096, Math.min(request.getChunkBytes(), maxChunkBytes));
    Thread t = new Thread(() -> {
      try {
        stream(chunk, out);
      } finally {
        running.set(false);
      }
    }, "backup-stream");
    t.setDaemon(true);
    t.start();
  }

  private void stream(int chunkBytes, ResponseStream out) {
    Path archive = workRoot.resolve("backup.zip");
    BackupManifest manifest;
    try {
      BackupArchive.deleteTree(workRoot);
      Files.createDirectories(workRoot);
      long started = System.nanoTime();
      manifest = stateMachine.writeBackup(workRoot.resolve("work"), archive, nodeId);
      LOG.info("backup archive at revision {} written ({} bytes, {} ms); streaming it", manifest.getRevision(),
          Files.size(archive), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    } catch (IOException | RuntimeException e) {
      LOG.warn("backup failed on node {}", nodeId, e);
      out.send(Frames.error(0, ErrorCode.BACKUP_FAILED, "node " + nodeId + " could not write the backup archive under "
          + workRoot + ": " + e.getMessage()));
      cleanUp();
      return;
    }
    try {
      sendArchive(archive, manifest, chunkBytes, out);
    } catch (Exception e) {
      // The client went away or stopped reading: nothing to tell it.
      LOG.warn("backup stream from node {} ended early: {}", nodeId, e.toString());
    } finally {
      cleanUp();
    }
  }

  private void sendArchive(Path archive, BackupManifest manifest, int chunkBytes, ResponseStream out) throws Exception {
    long total = Files.size(archive);
    Identity identity = Identity.newBuilder()
        .setClusterId(manifest.getClusterId())
        .setIncarnation(manifest.getIncarnation())
        .setRevision(manifest.getRevision())
        .build();
    await(out.send(Response.newBuilder().setIdentity(identity)
        .setBackupChunk(BackupChunk.newBuilder().setTotalBytes(total).setRevision(manifest.getRevision()))
        .build()));
    MessageDigest sha = BackupArchive.sha256();
    byte[] buffer = new byte[chunkBytes];
    long offset = 0;
    CompletableFuture<Void> inFlight = CompletableFuture.completedFuture(null);
    try (InputStream in = Files.newInputStream(archive)) {
      for (int n; (n = in.readNBytes(buffer, 0, chunkBytes)) > 0; offset += n) {
        sha.update(buffer, 0, n);
        ByteString data = ByteString.copyFrom(buffer, 0, n);
        // One chunk on the wire while the next is read from disk.
        await(inFlight);
        inFlight = out.send(Response.newBuilder()
            .setBackupChunk(BackupChunk.newBuilder().setOffset(offset).setData(data))
            .build());
      }
    }
    await(inFlight);
    await(out.send(Response.newBuilder().setIdentity(identity)
        .setBackupChunk(BackupChunk.newBuilder().setOffset(offset).setLast(true).setTotalBytes(total)
            .setRevision(manifest.getRevision()).setArchiveSha256(BackupArchive.hex(sha)))
        .build()));
    LOG.info("backup at revision {} streamed ({} bytes)", manifest.getRevision(), total);
  }

  private static void await(CompletableFuture<Void> write) throws Exception {
    write.get(WRITE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  private void cleanUp() {
    try {
      BackupArchive.deleteTree(workRoot);
    } catch (IOException e) {
      LOG.warn("could not remove backup work directory {}: {}", workRoot, e.toString());
    }
  }
}
