package io.gravwell.datastore.statemachine;

import com.google.protobuf.InvalidProtocolBufferException;
import io.gravwell.datastore.protocol.v1.ErrorCode;
import io.gravwell.datastore.protocol.v1.Identity;
import io.gravwell.datastore.protocol.v1.StoredObject;
import io.gravwell.datastore.statemachine.v1.EntryResult;
import io.gravwell.datastore.statemachine.v1.LogEntry;
import io.gravwell.datastore.statemachine.v1.MemberDirectory;
import io.gravwell.datastore.statemachine.v1.Query;
import io.gravwell.datastore.statemachine.v1.QueryResult;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.util.LifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The datastore's replicated state: objects, tombstones, revisions and the cluster identity, kept in an
 * {@link ObjectStore} inside the Ratis storage directory.
 *
 * <p>Two applied positions are tracked. BaseStateMachine's lastAppliedTermIndex is exactly what Ratis
 * has fed this machine (it starts at the snapshot index and Ratis checks snapshots against it). The
 * store's position ({@link #appliedIndex()}) may be ahead of it while Ratis replays entries the store
 * already holds (they are skipped); it is the revision reported to clients.
 *
 * <p>Apply runs on the machine's own thread ({@link GroupCommit}), several committed entries per store
 * transaction; Ratis' updater thread only parses and queues. Store writes are not fsync'd; the Raft log
 * is the durable record and replay restores whatever the store lost.
 */
public class DatastoreStateMachine extends BaseStateMachine {

  private static final Logger LOG = LoggerFactory.getLogger(DatastoreStateMachine.class);

  /** The store's directory inside Ratis' state-machine directory (next to the snapshot files). */
  public static final String STORE_DIR = "store";

  /** Committed entries that may wait for apply before Ratis' updater blocks. */
  static final int GROUP_COMMIT_QUEUE = 4096;
  /** Entries per store transaction at most, so one commit (and its reply latency) stays short. */
  static final int GROUP_COMMIT_MAX_ENTRIES = 256;
  /** Bytes of parsed entries that may wait for apply (a quarter of it per store transaction). */
  static final long GROUP_COMMIT_MAX_BYTES = 8L << 20;

  private final StateMachineSettings settings;
  private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();
  private final StoreSnapshots snapshots = new StoreSnapshots(storage);
  private final QueryHandler queries;
  private final AppliedIndexWaiters waiters = new AppliedIndexWaiters();
  private final List<ApplyListener> listeners = new CopyOnWriteArrayList<>();
  // Write-locked only to swap the store (pause, reinitialize, close); everything else shares it.
  private final ReentrantReadWriteLock storeLock = new ReentrantReadWriteLock();
  // Keeps a snapshot requested off the updater thread from interleaving with an apply.
  private final ReentrantLock applyLock = new ReentrantLock();
  // One snapshot at a time (Ratis' updater, an operator's request).
  private final ReentrantLock snapshotLock = new ReentrantLock();

  private volatile Path storeDir;
  private volatile ObjectStore store;
  private volatile StoreMeta meta = StoreMeta.EMPTY;
  private volatile AppliedPosition applied = AppliedPosition.NONE;
  private volatile Map<String, String> memberAddresses = Map.of();
  private final GroupCommit groupCommit;
  // Entries submitted to groupCommit and not yet settled; changed under applyLock when settled.
  private final java.util.concurrent.atomic.AtomicLong inFlight = new java.util.concurrent.atomic.AtomicLong();
  private volatile Throwable storageFailure;

  public DatastoreStateMachine(StateMachineSettings settings) {
    this.settings = settings;
    this.queries = new QueryHandler(settings);
    this.groupCommit = new GroupCommit("apply-" + Integer.toHexString(System.identityHashCode(this)),
        GROUP_COMMIT_QUEUE, GROUP_COMMIT_MAX_ENTRIES, GROUP_COMMIT_MAX_BYTES, this::applyBatch);
  }

  // ---- public helpers for the node ------------------------------------------------------------------

  public StateMachineSettings settings() {
    return settings;
  }

  /** The identity as of the last applied entry; cluster id empty until InitIdentity is applied. */
  public Identity currentIdentity() {
    return Identities.of(meta, applied.index());
  }

  public boolean hasIdentity() {
    return meta.hasIdentity();
  }

  public long compactRevision() {
    return meta.compactRevision();
  }

  /** The index the store reflects (at least); the revision reported to clients. */
  public long appliedIndex() {
    return applied.index();
  }

  /** Completes once {@link #appliedIndex()} reaches {@code index}; the caller adds its own timeout. */
  public CompletableFuture<Void> whenApplied(long index) {
    return waiters.whenApplied(index);
  }

  public void addApplyListener(ApplyListener listener) {
    listeners.add(listener);
  }

  public void removeApplyListener(ApplyListener listener) {
    listeners.remove(listener);
  }

  /**
   * Client addresses (host:port) of members by id, from the replicated member directory, as of the last
   * applied entry. Members never written to it (the founding members) are absent.
   */
  public Map<String, String> memberAddresses() {
    return memberAddresses;
  }

  /** An InitIdentity entry with a fresh random cluster id and incarnation 1. */
  public static Message proposeIdentity(RandomGenerator random, long nowMs) {
    return StateMachineMessages.identityEntry(random, nowMs);
  }

  /** {@link #proposeIdentity(RandomGenerator, long)} with this machine's random generator and clock. */
  public Message proposeIdentity() {
    return proposeIdentityFor(settings.random(), settings.clock().millis());
  }

  /**
   * The InitIdentity entry this node's leader should propose: a fresh identity for a new group, or the
   * restored cluster id with a new incarnation when this store comes from a restore.
   */
  public Message proposeIdentityFor(RandomGenerator random, long nowMs) {
    StoreMeta.PendingIdentity pending = meta.pending();
    return pending == null ? proposeIdentity(random, nowMs)
        : StateMachineMessages.restoredIdentityEntry(pending, nowMs);
  }

  public static Message compactEntry(long nowMs, Duration retention) {
    return StateMachineMessages.compactEntry(nowMs, retention);
  }

  /** A Compact entry that also expires stale objects of the given kinds (e.g. silent webservers). */
  public static Message compactEntry(long nowMs, Duration retention, java.util.Map<String, Duration> expireAfter) {
    return StateMachineMessages.compactEntry(nowMs, retention, expireAfter);
  }

  /** A Compact entry for the configured tombstone retention at this machine's clock. */
  public Message compactEntry() {
    return compactEntry(settings.clock().millis(), settings.tombstoneRetention());
  }

  /**
   * Answers a query from this replica's current state, without any Raft read protocol: what it returns
   * is only as fresh as {@link #appliedIndex()}.
   */
  public QueryResult queryLocal(Query query) {
    storeLock.readLock().lock();
    try {
      ObjectStore s = store;
      if (s == null) {
        return QueryResult.newBuilder()
            .setIdentity(currentIdentity())
            .setError(QueryHandler.error(ErrorCode.UNAVAILABLE, "state machine is not open"))
            .build();
      }
      long floor = applied.index(); // read before the transaction: everything up to it is committed
      return s.read(reader -> queries.answer(reader, query, floor, this::lastSnapshotIndex));
    } finally {
      storeLock.readLock().unlock();
    }
  }

  // ---- Ratis lifecycle ------------------------------------------------------------------------------

  @Override
  public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
    super.initialize(server, groupId, raftStorage);
    start(raftStorage);
  }

  /** The storage half of {@link #initialize}; tests call it without a RaftServer. */
  void start(RaftStorage raftStorage) throws IOException {
    getLifeCycle().startAndTransition(() -> {
      storage.init(raftStorage);
      storeDir = raftStorage.getStorageDir().getStateMachineDir().toPath().resolve(STORE_DIR);
      storeLock.writeLock().lock();
      try {
        SingleFileSnapshotInfo latest = snapshots.latest();
        openStore(latest);
        if (latest != null) {
          setLastAppliedTermIndex(latest.getTermIndex());
        }
      } finally {
        storeLock.writeLock().unlock();
      }
      groupCommit.start();
    }, IOException.class);
  }

  @Override
  public StateMachineStorage getStateMachineStorage() {
    return storage;
  }

  @Override
  public SingleFileSnapshotInfo getLatestSnapshot() {
    return snapshots.latest();
  }

  /**
   * Called right before Ratis replaces the state-machine directory with a snapshot installed from the
   * leader (and by the admin pause): the store must be closed before its files disappear.
   */
  @Override
  public void pause() {
    storeLock.writeLock().lock();
    try {
      getLifeCycle().transition(LifeCycle.State.PAUSING);
      closeStore();
      getLifeCycle().transition(LifeCycle.State.PAUSED);
    } finally {
      storeLock.writeLock().unlock();
    }
  }

  /**
   * After a snapshot install the store directory is gone, so the store is restored from the new
   * snapshot. After a plain pause/resume the store is still there and at least as new as any snapshot,
   * and Ratis will not replay what it already applied, so it is reopened as it is.
   */
  @Override
  public void reinitialize() throws IOException {
    storeLock.writeLock().lock();
    try {
      closeStore();
      SingleFileSnapshotInfo latest = snapshots.reloadLatest();
      if (openStore(latest)) {
        setLastAppliedTermIndex(latest.getTermIndex());
      }
      if (getLifeCycleState() == LifeCycle.State.PAUSED) {
        getLifeCycle().transition(LifeCycle.State.STARTING);
        getLifeCycle().transition(LifeCycle.State.RUNNING);
      }
    } finally {
      storeLock.writeLock().unlock();
    }
  }

  @Override
  public void close() {
    groupCommit.close(); // applies what is queued first: the updater has handed it over as applied
    storeLock.writeLock().lock();
    try {
      closeStore();
    } finally {
      storeLock.writeLock().unlock();
    }
    waiters.failAll(new IllegalStateException("state machine closed"));
  }

  /**
   * Opens the store, first restoring it from {@code latest} if it is missing or older than that
   * snapshot. Returns whether it restored.
   */
  private boolean openStore(SingleFileSnapshotInfo latest) throws IOException {
    ObjectStore s = settings.storeEngine().open(storeDir);
    StoreMeta m = s.read(StoreReader::meta);
    boolean restore = latest != null && m.lastApplied().index() < latest.getIndex();
    if (restore) {
      LOG.info("Store at index {} is behind snapshot {}: restoring it", m.lastApplied().index(), latest);
      s.close();
      StoreSnapshots.restore(latest, settings.storeEngine(), storeDir);
      s = settings.storeEngine().open(storeDir);
      m = s.read(StoreReader::meta);
    }
    store = s;
    meta = m;
    memberAddresses = addresses(s.read(StoreReader::memberDirectory));
    applied = m.lastApplied();
    waiters.advanceTo(applied.index());
    return restore;
  }

  private void closeStore() {
    ObjectStore s = store;
    if (s == null) {
      return;
    }
    store = null;
    // Entries without data (configuration, metadata) only moved the position in memory; keeping it
    // spares a replay of them.
    AppliedPosition position = applied;
    if (position.compareTo(meta.lastApplied()) > 0) {
      s.write(txn -> {
        txn.setLastApplied(position);
        return null;
      });
    }
    s.close();
  }

  // ---- apply ---------------------------------------------------------------------------------------

  /**
   * Application errors never escape: they become results. Entries go to {@link GroupCommit}, whose thread
   * applies whatever queued up in one store transaction; the future completes after that commit. While
   * paused (between a snapshot install's pause and reinitialize) the future fails instead: the entry is
   * covered by the snapshot being installed. A storage failure stops this replica ({@link #storageFailed}).
   */
  @Override
  public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
    LogEntryProto entry = trx.getLogEntry();
    ByteBuffer data = entry.getStateMachineLogEntry().getLogData().asReadOnlyByteBuffer();
    GroupCommit.Pending p = pending(new AppliedPosition(entry.getTerm(), entry.getIndex()), data);
    if (store == null) {
      return CompletableFuture.failedFuture(closedFor(p.position.index(), p.position.index()));
    }
    inFlight.incrementAndGet();
    return groupCommit.submit(p).thenApply(StateMachineMessages::toMessage);
  }

  private static GroupCommit.Pending pending(AppliedPosition position, ByteBuffer data) {
    try {
      return GroupCommit.Pending.entry(position, LogEntry.parseFrom(data));
    } catch (InvalidProtocolBufferException e) {
      return GroupCommit.Pending.unreadable(position, "log entry is not a LogEntry: " + e.getMessage());
    }
  }

  /** Applies one entry on the calling thread (tests, and in-process replicas without Ratis). */
  EntryResult apply(long term, long index, ByteBuffer data) {
    return applyNow(pending(new AppliedPosition(term, index), data));
  }

  /** Applies one entry; entries at or below the store's position are skipped (replay after restart). */
  EntryResult apply(long term, long index, LogEntry entry) {
    return applyNow(GroupCommit.Pending.entry(new AppliedPosition(term, index), entry));
  }

  private EntryResult applyNow(GroupCommit.Pending p) {
    inFlight.incrementAndGet();
    applyBatch(List.of(p));
    try {
      return p.result.join();
    } catch (java.util.concurrent.CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  /**
   * Applies {@code batch} (in log order) in one store transaction, then moves the positions, wakes
   * waiters and listeners, and settles every future, in that order: whoever sees a future complete also
   * sees its effects. Entries at or below the store's position are skipped (replay after restart).
   */
  private void applyBatch(List<GroupCommit.Pending> batch) {
    List<AppliedEntry> outcomes = new ArrayList<>(batch.size());
    storeLock.readLock().lock();
    applyLock.lock();
    try {
      ObjectStore s = store;
      Throwable failed = storageFailure;
      if (s == null || failed != null) {
        RuntimeException e = failed != null
            ? new IllegalStateException("replica stopped applying after a storage failure", failed)
            : closedFor(batch.get(0).position.index(), batch.get(batch.size() - 1).position.index());
        batch.forEach(p -> p.result.completeExceptionally(e));
        return;
      }
      long floor = applied.index();
      boolean writes = batch.stream().anyMatch(p -> !p.isPositionOnly() && p.position.index() > floor);
      try {
        List<AppliedEntry> fromStore = !writes ? List.of() : s.write(txn -> {
          List<AppliedEntry> out = new ArrayList<>(batch.size());
          for (GroupCommit.Pending p : batch) {
            if (p.isPositionOnly() || p.position.index() <= floor) {
              continue;
            }
            out.add(p.entry != null ? EntryApplier.apply(txn, p.position, p.entry)
                : EntryApplier.unreadable(txn, p.position, p.unreadable));
          }
          return out;
        });
        int next = 0;
        for (GroupCommit.Pending p : batch) {
          AppliedPosition position = p.position;
          if (p.isPositionOnly()) {
            stepTo(position);
            outcomes.add(null);
          } else if (position.index() <= floor) {
            updateLastAppliedTermIndex(position.term(), position.index());
            LogEntry skipped = p.entry != null ? p.entry : LogEntry.getDefaultInstance();
            outcomes.add(new AppliedEntry(EntryApplier.notApplied(skipped, meta, position.index(), floor), meta,
                false, List.of()));
          } else {
            AppliedEntry done = fromStore.get(next++);
            meta = done.meta();
            if (done.result().hasMembers()) {
              memberAddresses = addresses(done.result().getMembers());
            }
            applied = position;
            updateLastAppliedTermIndex(position.term(), position.index());
            outcomes.add(done);
          }
        }
      } catch (RuntimeException | Error e) {
        storageFailed(batch, e);
        return;
      }
    } finally {
      inFlight.addAndGet(-batch.size());
      applyLock.unlock();
      storeLock.readLock().unlock();
    }
    waiters.advanceTo(applied.index());
    for (int i = 0; i < batch.size(); i++) {
      AppliedEntry done = outcomes.get(i);
      if (done != null && done.write()) {
        notifyListeners(batch.get(i).position.index(), done.changes());
      }
    }
    for (int i = 0; i < batch.size(); i++) {
      AppliedEntry done = outcomes.get(i);
      batch.get(i).result.complete(done == null ? null : done.result());
    }
  }

  /**
   * Skipping entries would make this replica diverge, so after a storage failure it applies nothing more
   * and its Raft division is closed, as Ratis does when an apply throws on its own thread.
   */
  private void storageFailed(List<GroupCommit.Pending> batch, Throwable e) {
    storageFailure = e;
    LOG.error("Store failed applying entries {}..{}; this replica stops", batch.get(0).position,
        batch.get(batch.size() - 1).position, e);
    batch.forEach(p -> p.result.completeExceptionally(e));
    getServer().thenAccept(server -> new Thread(() -> {
      try {
        server.getDivision(getGroupId()).close();
      } catch (IOException | RuntimeException closeFailed) {
        LOG.warn("Closing the Raft division after a storage failure failed", closeFailed);
      }
    }, "close-after-storage-failure").start());
  }

  private static StoreClosedException closedFor(long from, long to) {
    return new StoreClosedException("state machine is paused or closed; entries " + from + ".." + to
        + " not applied");
  }

  private static Map<String, String> addresses(MemberDirectory directory) {
    Map<String, String> byId = new java.util.TreeMap<>();
    directory.getMembersList().forEach(m -> byId.put(m.getId(), m.getClientAddress()));
    return java.util.Collections.unmodifiableMap(byId);
  }

  private void notifyListeners(long revision, List<StoredObject> changes) {
    for (ApplyListener l : listeners) {
      try {
        l.onApplied(revision, changes);
      } catch (RuntimeException e) {
        LOG.warn("Apply listener {} failed at revision {}", l, revision, e);
      }
    }
  }

  /** Entries without state machine data (configuration, metadata) still advance the applied position. */
  @Override
  public void notifyTermIndexUpdated(long term, long index) {
    AppliedPosition position = new AppliedPosition(term, index);
    boolean queued;
    applyLock.lock();
    try {
      // Nothing queued or being applied: step now (tests rely on it). Otherwise the step waits its turn,
      // or the position would pass entries still queued and apply would skip them as already applied.
      queued = inFlight.get() > 0;
      if (queued) {
        inFlight.incrementAndGet();
      } else {
        stepTo(position);
      }
    } finally {
      applyLock.unlock();
    }
    if (queued) {
      // Outside the lock: a full queue blocks here until the apply thread, which needs the lock, drains it.
      groupCommit.submit(GroupCommit.Pending.positionOnly(position));
    } else {
      waiters.advanceTo(applied.index());
    }
  }

  /** An entry without data moves both positions; the caller holds the apply lock. */
  private void stepTo(AppliedPosition position) {
    super.notifyTermIndexUpdated(position.term(), position.index());
    applied = AppliedPosition.later(applied, position);
  }

  // ---- queries -------------------------------------------------------------------------------------

  @Override
  public CompletableFuture<Message> query(Message request) {
    // Ratis releases a ReadIndex read once its updater has handed the read index over, which for entries
    // without data is before this machine has applied what is queued ahead of them.
    return waiters.whenApplied(groupCommit.lastSubmitted())
        .thenApply(v -> StateMachineMessages.toMessage(answer(request)));
  }

  @Override
  public CompletableFuture<Message> queryStale(Message request, long minIndex) {
    return waiters.whenApplied(minIndex)
        .thenApply(v -> StateMachineMessages.toMessage(answer(request)));
  }

  private QueryResult answer(Message request) {
    Query query;
    try {
      query = Query.parseFrom(request.getContent().asReadOnlyByteBuffer());
    } catch (InvalidProtocolBufferException e) {
      return QueryResult.newBuilder()
          .setIdentity(currentIdentity())
          .setError(QueryHandler.error(ErrorCode.BAD_REQUEST, "query is not a Query: " + e.getMessage()))
          .build();
    }
    return queryLocal(query);
  }

  // ---- snapshots -----------------------------------------------------------------------------------

  /**
   * Backs the store up into a snapshot named for the position Ratis has fed us. The store may be ahead
   * of that name while Ratis replays entries it already holds; a store restored from the file then skips
   * them again, which is harmless.
   */
  @Override
  public long takeSnapshot() throws IOException {
    snapshotLock.lock();
    storeLock.readLock().lock();
    try {
      ObjectStore s;
      TermIndex label;
      // Only the label and the position are taken under the apply lock; the copy itself runs beside
      // apply (the engine's backup is consistent while writes go on), so a snapshot no longer stops the
      // replica from answering writes. The copy may hold entries past the label: see above.
      applyLock.lock();
      try {
        s = store;
        label = getLastAppliedTermIndex();
        if (s == null || label == null || label.getIndex() < 0) {
          return RaftLog.INVALID_LOG_INDEX;
        }
        SingleFileSnapshotInfo latest = snapshots.latest();
        if (latest != null && latest.getIndex() >= label.getIndex()) {
          return latest.getIndex() == label.getIndex() ? label.getIndex() : RaftLog.INVALID_LOG_INDEX;
        }
        // A store restored from this file must not look older than the file's name, or every start would
        // restore it again: record the position reached by entries without data.
        AppliedPosition position = applied;
        if (position.compareTo(meta.lastApplied()) > 0) {
          meta = s.write(txn -> {
            txn.setLastApplied(position);
            return txn.meta();
          });
        }
      } finally {
        applyLock.unlock();
      }
      long started = System.nanoTime();
      SingleFileSnapshotInfo info = snapshots.take(s, label);
      LOG.info("Took snapshot {} in {} ms (store at index {})", info,
          java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), applied.index());
      return label.getIndex();
    } finally {
      storeLock.readLock().unlock();
      snapshotLock.unlock();
    }
  }

  /**
   * Writes a backup archive ({@link BackupArchive}) of this replica's store to {@code archive}, using
   * {@code workDir} for temporary files. Applies continue meanwhile: the store engine's hot backup is
   * consistent at one applied entry, and the manifest reports that entry's index as the revision.
   */
  public io.gravwell.datastore.statemachine.v1.BackupManifest writeBackup(Path workDir, Path archive, String nodeId)
      throws IOException {
    java.nio.file.Files.createDirectories(workDir);
    Path storeCopy = workDir.resolve("store.zip");
    storeLock.readLock().lock();
    try {
      ObjectStore s = store;
      if (s == null) {
        throw new StoreClosedException("state machine is not open");
      }
      s.backupTo(storeCopy);
    } finally {
      storeLock.readLock().unlock();
    }
    return BackupArchive.write(storeCopy, workDir, settings.storeEngine(), nodeId, settings.clock().millis(), archive);
  }

  private long lastSnapshotIndex() {
    SingleFileSnapshotInfo latest = snapshots.latest();
    return latest == null ? RaftLog.INVALID_LOG_INDEX : latest.getIndex();
  }

  /** A dump of every object and tombstone, in key order; for tests and diagnostics. */
  List<StoredObject> dump() {
    return queryLocalRead(reader -> {
      List<StoredObject> all = new ArrayList<>();
      reader.scanAll(all::add);
      return all;
    });
  }

  private <T> T queryLocalRead(Function<StoreReader, T> work) {
    storeLock.readLock().lock();
    try {
      ObjectStore s = store;
      if (s == null) {
        throw new StoreClosedException("state machine is not open");
      }
      return s.read(work);
    } finally {
      storeLock.readLock().unlock();
    }
  }

  /** The store is closed (paused for a snapshot install, or shut down). */
  public static final class StoreClosedException extends IllegalStateException {
    StoreClosedException(String message) {
      super(message);
    }
  }
}
