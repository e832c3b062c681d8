package io.gravwell.datastore.statemachine;

import io.gravwell.datastore.protocol.v1.Batch;
import io.gravwell.datastore.protocol.v1.Identity;
import io.gravwell.datastore.protocol.v1.StoredObject;
import io.gravwell.datastore.statemachine.v1.Compact;
import io.gravwell.datastore.statemachine.v1.EntryResult;
import io.gravwell.datastore.statemachine.v1.InitIdentity;
import io.gravwell.datastore.statemachine.v1.LogEntry;
import io.gravwell.datastore.statemachine.v1.Query;
import io.gravwell.datastore.statemachine.v1.QueryResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongConsumer;
import java.util.stream.Stream;

/**
 * One real {@link DatastoreStateMachine} on a directory, driven without Raft: every write becomes the
 * next log index, exactly as if a single-node group had committed it. It stands in for a whole cluster in
 * sockets-free tests of the webserver side, including the disasters the identity check exists for: an
 * emptied cluster ({@link #wipe()}) and a restore from an older backup ({@link #restoreFrom(Backup)}).
 *
 * <p>Thread-safe: webservers on several threads may share one replica (methods are synchronized, like a
 * log that commits one entry at a time).
 */
public final class InProcessReplica implements AutoCloseable {

  /** A frozen copy of a replica's directory, as an operator's backup would be. */
  public record Backup(Path dir, Identity identity) {}

  private static final long TERM = 1;

  private final Path root;
  private final StateMachineSettings settings;
  // Doorbells for watch streams: rung after every applied write with its revision.
  private final List<LongConsumer> listeners = new CopyOnWriteArrayList<>();
  private DatastoreStateMachine sm;
  private long nextIndex;
  private long lastTimestampMs;

  private InProcessReplica(Path root, StateMachineSettings settings) {
    this.root = root;
    this.settings = settings;
    open();
  }

  /** Opens (or creates) a replica in {@code root}; a new one has no identity until {@link #initIdentity}. */
  public static InProcessReplica open(Path root) {
    return open(root, StateMachineSettings.builder().defaultPageSize(100).maxPageSize(1000).build());
  }

  public static InProcessReplica open(Path root, StateMachineSettings settings) {
    return new InProcessReplica(root, settings);
  }

  /** Opens a replica and commits an identity at once, as the first leader of a new group would. */
  public static InProcessReplica create(Path root, String clusterId) {
    InProcessReplica r = open(root);
    r.initIdentity(clusterId, 1);
    return r;
  }

  // ---- log entries ----------------------------------------------------------------------------------

  /** Applies {@code batch} as the next log entry, stamped {@code nowMs} (the submitting node's clock). */
  public EntryResult write(Batch batch, long nowMs) {
    EntryResult result;
    synchronized (this) {
      result = append(LogEntry.newBuilder().setTimestampMs(nowMs).setWrite(batch).build());
    }
    if (!result.hasError()) {
      long revision = result.getWrite().getRevision();
      listeners.forEach(l -> l.accept(revision));
    }
    return result;
  }

  /** Commits an InitIdentity entry; apply keeps only the first one a store ever sees. */
  public synchronized EntryResult initIdentity(String clusterId, long incarnation) {
    return append(LogEntry.newBuilder()
        .setTimestampMs(lastTimestampMs)
        .setInitIdentity(InitIdentity.newBuilder().setClusterId(clusterId).setIncarnation(incarnation))
        .build());
  }

  /** Removes tombstones deleted before {@code nowMs - retention}, as the leader's periodic entry does. */
  public synchronized EntryResult compact(long nowMs, Duration retention) {
    return append(LogEntry.newBuilder()
        .setTimestampMs(nowMs)
        .setCompact(Compact.newBuilder().setCutoffMs(nowMs - retention.toMillis()))
        .build());
  }

  private EntryResult append(LogEntry entry) {
    lastTimestampMs = Math.max(lastTimestampMs, entry.getTimestampMs());
    return sm.apply(TERM, nextIndex++, entry);
  }

  // ---- reads ----------------------------------------------------------------------------------------

  public synchronized QueryResult query(Query query) {
    return sm.queryLocal(query);
  }

  public synchronized Identity identity() {
    return sm.currentIdentity();
  }

  public synchronized boolean hasIdentity() {
    return sm.hasIdentity();
  }

  public synchronized long appliedIndex() {
    return sm.appliedIndex();
  }

  /** Every live object and tombstone, in key order. */
  public synchronized List<StoredObject> dump() {
    return sm.dump();
  }

  /** Live objects only. */
  public List<StoredObject> liveObjects() {
    return dump().stream().filter(o -> !o.getDeleted()).toList();
  }

  /** Calls {@code onWrite} with the revision of every write applied from now on, until closed. */
  public AutoCloseable onWrite(LongConsumer onWrite) {
    listeners.add(onWrite);
    return () -> listeners.remove(onWrite);
  }

  // ---- lifecycle and disasters ------------------------------------------------------------------------

  /** Closes the state machine and opens a new one on the same directory, as after a process restart. */
  public synchronized void restart() {
    sm.close();
    open();
  }

  /**
   * The seed's disaster: every byte of the replica is deleted and an empty one starts in its place. It has
   * no identity until {@link #initIdentity} commits a new one (as a new group's first leader would).
   */
  public synchronized void wipe() {
    sm.close();
    deleteTree(root);
    open();
  }

  /** Copies the replica's directory aside (the state machine is closed for the copy, then reopened). */
  public synchronized Backup backup() {
    Identity identity = sm.currentIdentity();
    sm.close();
    try {
      Path copy = Files.createTempDirectory(root.toAbsolutePath().getParent(), root.getFileName() + "-backup-");
      copyTree(root, copy);
      return new Backup(copy, identity);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      open();
    }
  }

  /**
   * A restore from backup as an operator would do it: the directory goes back to the copy (so revisions
   * go backwards), the cluster id stays, and the first leader commits a new incarnation (from its entry's
   * time), which is what tells webservers that the history they synced with is gone, even when the same
   * backup is restored twice.
   */
  public synchronized void restoreFrom(Backup backup) {
    StoreMeta.PendingIdentity pending =
        new StoreMeta.PendingIdentity(backup.identity().getClusterId(), backup.identity().getIncarnation() + 1);
    sm.close();
    deleteTree(root);
    try {
      copyTree(backup.dir(), root);
      Path storeDir = new DirRaftStorage(root).smDir().resolve(DatastoreStateMachine.STORE_DIR);
      try (ObjectStore store = settings.storeEngine().open(storeDir)) {
        store.write(txn -> {
          txn.setPendingIdentity(pending);
          return null;
        });
        store.sync();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    open();
    // The restored group's first leader commits the new incarnation; time has passed since any earlier
    // restore, which is what makes the incarnation differ from theirs.
    lastTimestampMs++;
    append(LogEntry.newBuilder().setTimestampMs(lastTimestampMs)
        .setInitIdentity(InitIdentity.newBuilder().setClusterId(pending.clusterId())).build());
  }

  @Override
  public synchronized void close() {
    sm.close();
  }

  private void open() {
    sm = new DatastoreStateMachine(settings);
    try {
      sm.start(new DirRaftStorage(root));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // The log continues after whatever the store holds (AppliedPosition.NONE is index -1).
    nextIndex = Math.max(1, sm.appliedIndex() + 1);
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path p : (Iterable<Path>) paths::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
