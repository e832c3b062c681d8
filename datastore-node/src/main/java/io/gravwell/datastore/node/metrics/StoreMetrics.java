package io.gravwell.datastore.node.metrics;

import io.gravwell.datastore.statemachine.DatastoreStateMachine;
import io.gravwell.datastore.statemachine.v1.Query;
import io.gravwell.datastore.statemachine.v1.QueryResult;
import io.gravwell.datastore.statemachine.v1.Stats;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.BaseUnits;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;

/**
 * What the node keeps on disk and in its store: sizes, free space, object and tombstone counts, snapshot
 * position. Directory walks and the count query run in {@link #refresh()} on the metrics thread; gauges
 * only return the last values, so a scrape costs nothing even with a large store.
 */
final class StoreMetrics {
  private final DatastoreStateMachine stateMachine;
  private final Path dataDir;
  private final Path raftDir;
  private volatile DiskUsage usage = new DiskUsage(0, 0, 0, 0, 0);
  private volatile long objects;
  private volatile long tombstones;

  private record DiskUsage(long store, long log, long snapshots, long free, long total) {}

  StoreMetrics(MeterRegistry registry, DatastoreStateMachine stateMachine, Path dataDir, Path raftDir,
      long snapshotThreshold) {
    this.stateMachine = stateMachine;
    this.dataDir = dataDir;
    this.raftDir = raftDir;
    Gauge.builder("datastore.store.disk", () -> usage.store()).baseUnit(BaseUnits.BYTES)
        .description("Bytes of the Xodus store's files").register(registry);
    Gauge.builder("datastore.raft.log.disk", () -> usage.log()).baseUnit(BaseUnits.BYTES)
        .description("Bytes of the Raft log segments and metadata").register(registry);
    Gauge.builder("datastore.snapshot.disk", () -> usage.snapshots()).baseUnit(BaseUnits.BYTES)
        .description("Bytes of every snapshot file kept (Ratis retains the newest few)").register(registry);
    Gauge.builder("datastore.disk.free", () -> usage.free()).baseUnit(BaseUnits.BYTES)
        .description("Free bytes (usable by this process) on the file system holding Datastore-Data-Dir")
        .register(registry);
    Gauge.builder("datastore.disk.total", () -> usage.total()).baseUnit(BaseUnits.BYTES)
        .description("Size of the file system holding Datastore-Data-Dir").register(registry);
    Gauge.builder("datastore.store.objects", () -> objects)
        .description("Live objects in this node's store").register(registry);
    Gauge.builder("datastore.store.tombstones", () -> tombstones)
        .description("Tombstones (remembered deletes) in this node's store, until compaction removes them")
        .register(registry);
    Gauge.builder("datastore.store.compact.revision", stateMachine, DatastoreStateMachine::compactRevision)
        .description("Highest revision whose tombstones compaction removed; ChangesSince below it is COMPACTED")
        .register(registry);
    Gauge.builder("datastore.store.revision", stateMachine, DatastoreStateMachine::appliedIndex)
        .description("The revision this node's store reflects (reported to clients)").register(registry);
    Gauge.builder("datastore.snapshot.last.index", () -> latestSnapshot(false))
        .description("Log index of the newest snapshot on this node (-1: none)").register(registry);
    Gauge.builder("datastore.snapshot.size", () -> latestSnapshot(true)).baseUnit(BaseUnits.BYTES)
        .description("Size of the newest snapshot file on this node").register(registry);
    Gauge.builder("datastore.snapshot.threshold.entries", () -> snapshotThreshold)
        .description("Datastore-Snapshot-Threshold: entries between automatic snapshots").register(registry);
  }

  private double latestSnapshot(boolean size) {
    SingleFileSnapshotInfo s = stateMachine.getLatestSnapshot();
    if (s == null) {
      return size ? 0 : -1;
    }
    return size ? s.getFile().getFileSize() : s.getIndex();
  }

  void refresh() {
    long store = 0;
    long log = 0;
    long snapshots = 0;
    try (Stream<Path> files = Files.walk(raftDir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        long size = sizeOf(p);
        String s = p.toString();
        if (s.contains("/sm/" + DatastoreStateMachine.STORE_DIR + "/")) {
          store += size;
        } else if (s.contains("/sm/")) {
          snapshots += size;
        } else {
          log += size;
        }
      }
    } catch (IOException | java.io.UncheckedIOException e) {
      return; // files come and go while Xodus and Ratis work; the next poll will see a stable tree
    }
    long free = 0;
    long total = 0;
    try {
      FileStore fs = Files.getFileStore(dataDir);
      free = fs.getUsableSpace();
      total = fs.getTotalSpace();
    } catch (IOException e) {
      // leave zeros: the disk alert compares free with total and stays quiet on 0/0
    }
    usage = new DiskUsage(store, log, snapshots, free, total);
    countObjects();
  }

  private void countObjects() {
    try {
      QueryResult r = stateMachine.queryLocal(Query.newBuilder().setStats(Stats.getDefaultInstance()).build());
      if (r.hasStats()) {
        objects = r.getStats().getObjectCount();
        tombstones = r.getStats().getTombstoneCount();
      }
    } catch (RuntimeException e) {
      // store closed (shutting down or installing a snapshot): keep the last counts
    }
  }

  private static long sizeOf(Path p) {
    try {
      return Files.isRegularFile(p) ? Files.size(p) : 0;
    } catch (IOException e) {
      return 0;
    }
  }
}
