package io.gravwell.datastore.node.raft;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;

/**
 * The Ratis properties a datastore node runs with. Every choice that differs from Ratis' defaults is made
 * here, with the reason next to it.
 */
public final class RaftSettings {
  private RaftSettings() {}

  public static RaftProperties serverProperties(
      Path raftDir, String raftHost, int raftPort, long snapshotThreshold, Duration electionTimeout,
      Map<String, String> overrides) {
    RaftProperties p = new RaftProperties();
    // Ratis' default storage is under /tmp, which a reboot may wipe.
    RaftServerConfigKeys.setStorageDir(p, java.util.List.of(raftDir.toFile()));
    // The peer address is only what others dial; the listening side must be set on its own.
    GrpcConfigKeys.Server.setHost(p, raftHost);
    GrpcConfigKeys.Server.setPort(p, raftPort);
    // Ratis answers reads from the leader's state without a ReadIndex round by default: not linearizable.
    RaftServerConfigKeys.Read.setOption(p, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
    // Snapshots are off by default; without them the log grows forever and new followers replay it all.
    RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, true);
    RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, snapshotThreshold);
    RaftServerConfigKeys.Snapshot.setRetentionFileNum(p, 2);
    RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(p, true);
    // A follower sleeps a random timeout in [min, max], then becomes a candidate if nothing came from the
    // leader since the sleep began: it notices a dead leader between min and 2 x max after the last
    // heartbeat. The leader's heartbeats come every min / 2.
    RaftServerConfigKeys.Rpc.setTimeoutMin(p, TimeDuration.valueOf(electionTimeout.toMillis(), TimeUnit.MILLISECONDS));
    RaftServerConfigKeys.Rpc.setTimeoutMax(p, TimeDuration.valueOf(2 * electionTimeout.toMillis(), TimeUnit.MILLISECONDS));
    // A node being added (add-node, replace-node) must answer the leader within this, or the membership
    // change fails with NOPROGRESS. The default, 3 x the election timeout (2.4 s), is shorter than a fresh
    // JVM takes to answer the first chunks of a snapshot: replacing a node that holds 1 GiB failed so.
    RaftServerConfigKeys.setStagingTimeout(p, TimeDuration.valueOf(30, TimeUnit.SECONDS));
    // Up to 8 snapshot chunks are in flight to a follower: 128 MB of heap at the default 16 MB each.
    RaftServerConfigKeys.Log.Appender.setSnapshotChunkSizeMax(p, SizeInBytes.valueOf("1MB"));
    // Ratis arms a timeout task for every snapshot chunk it sends, and the task keeps the whole chunk
    // reachable until it fires, answered or not: the leader holds (send rate x timeout) of snapshot in heap.
    // The timeout is this per-request value times the chunks allowed outstanding (8): 3 s x 8 = 24 s by
    // default, and a heap dump of a leader that ran out of its 512 MiB heap sending a 1 GiB snapshot held
    // 206 such 1 MB chunks. 125 ms x 8 = 1 s bounds that to one second of sending, and still allows a
    // follower that writes only 8 MB/s; a chunk not answered in time fails the transfer, which Ratis
    // starts again.
    GrpcConfigKeys.Server.setInstallSnapshotRequestTimeout(p, TimeDuration.valueOf(125, TimeUnit.MILLISECONDS));
    // A restarted follower otherwise waits for the appender's long retry back-off before catching up.
    RaftServerConfigKeys.Log.Appender.setInstallSnapshotEnabled(p, true);
    // Log metadata appends an extra entry whenever the commit index advances: one more append, replication
    // and fsync per write round. Commit index is recovered from the leader after a restart anyway.
    RaftServerConfigKeys.Log.setLogMetadataEnabled(p, false);
    // Ratis keeps the entries of cached log segments in heap; a segment's cache is dropped only once the
    // segment is closed, applied and sent to every follower, so the open segment (32 MB by default) plus
    // the closed ones up to the size bound are all held. A node that ran out of a 256 MiB heap during a
    // large upload held 79 MB there. Smaller segments and a smaller bound keep that near 24 MB; an
    // appender that needs an evicted entry reads it back from the segment file.
    RaftServerConfigKeys.Log.setSegmentSizeMax(p, SizeInBytes.valueOf("8MB"));
    RaftServerConfigKeys.Log.setSegmentCacheNumMax(p, 2);
    RaftServerConfigKeys.Log.setSegmentCacheSizeMax(p, SizeInBytes.valueOf("16MB"));
    // Entries waiting for the log worker, and write requests pending on the leader, default to 64 MB each:
    // half of a 256 MiB heap between them when resource chunks arrive faster than they commit.
    RaftServerConfigKeys.Log.setQueueByteLimit(p, SizeInBytes.valueOf("16MB"));
    RaftServerConfigKeys.Write.setByteLimit(p, SizeInBytes.valueOf("16MB"));
    overrides.forEach(p::set);
    return p;
  }

  /** Where Ratis keeps this group's log and snapshots, below the node's data directory. */
  public static Path raftDir(Path dataDir) {
    return dataDir.resolve("raft");
  }

  public static boolean hasExistingStorage(Path raftDir) {
    File[] children = raftDir.toFile().listFiles(File::isDirectory);
    return children != null && children.length > 0;
  }
}
