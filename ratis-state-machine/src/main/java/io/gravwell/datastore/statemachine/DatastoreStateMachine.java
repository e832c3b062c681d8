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
 * <p>Apply runs on the machine's own thread ({@link GroupCommit}); Ratis' updater thread only parses and
 * queues. Applied writes wait in an open store transaction ({@link CommitWindow}) until it commits, and
 * are answered before that: {@link #appliedIndex()}, reads, the identity and apply listeners move at the
 * commit. Store writes are not fsync'd; the Raft log is the durable record and replay restores whatever
 * the store lost, committed or not.
 *
 * <p>Locks: the apply thread holds the store lock (shared) and the apply lock for as long as a window is
 * open. Whoever needs either exclusively takes it through {@link #lockCommitted}, which makes the apply
 * thread commit at once instead of at the end of the delay.
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
  /** A commit window commits once it holds this many entries, or a quarter of the bytes above. */
  static final int WINDOW_MAX_ENTRIES = 1024;

  private final StateMachineSettings settings;
  private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();
  private final StoreSnapshots snapshots = new StoreSnapshots(storage);
  private final QueryHandler queries;
  private final AppliedIndexWaiters waiters = new AppliedIndexWaiters(this::readerWaits);
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
  // Applied entries not yet visible; only the apply thread (or a test's applyNow) touches it, under applyLock.
  private final CommitWindow window = new CommitWindow();
  // Threads waiting for applyLock or the store's write lock: the apply thread commits its window for them.
  private final java.util.concurrent.atomic.AtomicInteger quietRequests = new java.util.concurrent.atomic.AtomicInteger();
  // Entries submitted and not yet visible (queued, being applied, or in the open window).
  private final java.util.concurrent.atomic.AtomicLong inFlight = new java.util.concurrent.atomic.AtomicLong();
  private volatile Throwable storageFailure;

  public DatastoreStateMachine(StateMachineSettings settings) {
    this.settings = settings;
    this.queries = new QueryHandler(settings);
    this.groupCommit = new GroupCommit("apply-" + Integer.toHexString(System.identityHashCode(this)),
        GROUP_COMMIT_QUEUE, GROUP_COMMIT_MAX_ENTRIES, GROUP_COMMIT_MAX_BYTES, new WindowedApplier());
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
    lockCommitted(storeLock.writeLock());
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
    lockCommitted(storeLock.writeLock());
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
    groupCommit.close(); // applies and commits what is queued first: the updater has handed it over as applied
    lockCommitted(storeLock.writeLock());
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

  /** Applies and commits one entry on the calling thread, after the apply thread's open window commits. */
  private EntryResult applyNow(GroupCommit.Pending p) {
    inFlight.incrementAndGet();
    storeLock.readLock().lock();
    lockCommitted(applyLock);
    Runnable afterApply;
    Runnable afterCommit = () -> { };
    try {
      afterApply = applyBatch(List.of(p));
      if (window.isOpen()) {
        afterCommit = commitWindow();
      }
    } finally {
      releaseApplyLocks();
    }
    afterCommit.run();
    afterApply.run();
    try {
      return p.result.join();
    } catch (java.util.concurrent.CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  /**
   * The apply thread's side: a batch opens a window (taking the locks) unless one is open, and the locks
   * are released when no window is left open, after a batch or at its commit.
   */
  private final class WindowedApplier implements GroupCommit.Applier {
    @Override
    public void apply(List<GroupCommit.Pending> batch) {
      if (!applyLock.isHeldByCurrentThread()) {
        storeLock.readLock().lock();
        applyLock.lock();
      }
      Runnable after;
      try {
        after = applyBatch(batch);
      } finally {
        if (!window.isOpen()) {
          releaseApplyLocks();
        }
      }
      after.run();
    }

    @Override
    public long commitDueInNanos() {
      // Holding the apply lock here means this thread's own window is open. Without it, an open window
      // belongs to another thread (a test's applyNow), which commits it itself.
      if (!applyLock.isHeldByCurrentThread() || !window.isOpen()) {
        return Long.MAX_VALUE;
      }
      if (quietRequests.get() > 0 || window.entries() >= WINDOW_MAX_ENTRIES
          || window.bytes() >= GROUP_COMMIT_MAX_BYTES / 4
          || waiters.lowestWaiting() <= window.position().index()) {
        return 0;
      }
      return settings.commitDelay().toNanos() - window.ageNanos(System.nanoTime());
    }

    @Override
    public void commit() {
      Runnable after;
      try {
        after = commitWindow();
      } finally {
        releaseApplyLocks();
      }
      after.run();
    }
  }

  /**
   * Applies {@code batch} (in log order) into the open window, opening one for the first write; returns
   * what to run next, which answers every entry: the caller runs it once it has released the locks, or
   * at once while its window stays open. With no window open (a batch without writes) positions move at
   * once. Entries at or below the store's position are skipped (replay after restart). The caller holds
   * the store lock (shared) and the apply lock; whether and when the window commits is the caller's call.
   */
  private Runnable applyBatch(List<GroupCommit.Pending> batch) {
    ObjectStore s = store;
    Throwable failed = storageFailure;
    if (s == null || failed != null) {
      // No window can be open here: closing the store commits it first, and a failure aborts it.
      inFlight.addAndGet(-batch.size());
      RuntimeException e = failed != null
          ? new IllegalStateException("replica stopped applying after a storage failure", failed)
          : closedFor(batch.get(0).position.index(), batch.get(batch.size() - 1).position.index());
      return () -> batch.forEach(p -> p.result.completeExceptionally(e));
    }
    List<EntryResult> results = new ArrayList<>(batch.size());
    try {
      for (GroupCommit.Pending p : batch) {
        AppliedPosition position = p.position;
        AppliedPosition floor = window.isOpen() ? window.position() : applied;
        if (p.isPositionOnly()) {
          if (window.isOpen()) {
            window.stepped(position);
          } else {
            stepTo(position);
          }
          results.add(null);
        } else if (position.index() <= floor.index()) {
          // Only on replay, before any window opens: the store already holds it.
          updateLastAppliedTermIndex(position.term(), position.index());
          LogEntry skipped = p.entry != null ? p.entry : LogEntry.getDefaultInstance();
          StoreMeta current = window.isOpen() ? window.meta() : meta;
          results.add(EntryApplier.notApplied(skipped, current, position.index(), floor.index()));
        } else {
          if (!window.isOpen()) {
            window.open(s.beginWrite(), applied, meta, System.nanoTime());
          }
          AppliedEntry done = p.entry != null ? EntryApplier.apply(window.writer(), position, p.entry)
              : EntryApplier.unreadable(window.writer(), position, p.unreadable);
          window.applied(position, done, p.bytes);
          results.add(done.result());
        }
      }
    } catch (RuntimeException | Error e) {
      long lost = batch.size() + (window.isOpen() ? abortWindow() : 0);
      inFlight.addAndGet(-lost);
      return () -> storageFailed(batch.get(0).position + ".." + batch.get(batch.size() - 1).position, e,
          () -> batch.forEach(p -> p.result.completeExceptionally(e)));
    }
    boolean open = window.isOpen();
    if (open) {
      window.counted(batch.size());
    } else {
      inFlight.addAndGet(-batch.size());
    }
    return () -> {
      if (!open) {
        waiters.advanceTo(applied.index());
      }
      for (int i = 0; i < batch.size(); i++) {
        batch.get(i).result.complete(results.get(i));
      }
    };
  }

  /**
   * Commits the open window and moves what others see to its position; returns what to run once the
   * caller has released the locks (waiters, listeners). A failed commit stops this replica: its answers
   * have gone out, and the Raft log, which holds those writes, replays them when it restarts.
   */
  private Runnable commitWindow() {
    int entries = window.entries();
    CommitWindow.Committed c;
    try {
      c = window.commit();
    } catch (RuntimeException | Error e) {
      inFlight.addAndGet(-entries);
      return () -> storageFailed("committed up to " + applied, e, () -> { });
    }
    meta = c.meta();
    if (c.members() != null) {
      memberAddresses = addresses(c.members());
    }
    applied = c.position();
    updateLastAppliedTermIndex(c.position().term(), c.position().index());
    inFlight.addAndGet(-entries);
    return () -> {
      waiters.advanceTo(c.position().index());
      c.changes().forEach(change -> notifyListeners(change.revision(), change.objects()));
    };
  }

  private int abortWindow() {
    try {
      return window.abort();
    } catch (RuntimeException | Error e) {
      LOG.warn("Dropping the open store transaction failed", e);
      return window.entries();
    }
  }

  /**
   * Takes {@code lock} (the apply lock, or the store's write lock) without waiting out the commit delay:
   * the apply thread holds both while its window is open, and commits at once when asked.
   */
  private void lockCommitted(java.util.concurrent.locks.Lock lock) {
    quietRequests.incrementAndGet();
    try {
      groupCommit.nudge();
      lock.lock();
    } finally {
      quietRequests.decrementAndGet();
    }
  }

  /** Releases what an apply (and its window, if one was open) held: the apply lock, then the store lock. */
  private void releaseApplyLocks() {
    applyLock.unlock();
    storeLock.readLock().unlock();
  }

  /** A reader started waiting for an index: if it is in the open window, that window commits now. */
  private void readerWaits() {
    if (window.isOpen()) {
      groupCommit.nudge();
    }
  }

  /**
   * Skipping entries would make this replica diverge, so after a storage failure it applies nothing more
   * and its Raft division is closed, as Ratis does when an apply throws on its own thread.
   */
  private void storageFailed(String entries, Throwable e, Runnable failFutures) {
    storageFailure = e;
    LOG.error("Store failed applying entries {}; this replica stops", entries, e);
    failFutures.run();
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
    // Nothing queued, being applied or waiting in a window: step now (tests rely on it). Otherwise the step
    // waits its turn, or the position would pass entries still queued and apply would skip them as applied.
    // Only this thread (Ratis' updater) submits entries, so none can arrive between the check and the step.
    boolean stepped = false;
    if (inFlight.get() == 0) {
      applyLock.lock();
      try {
        if (inFlight.get() == 0) {
          stepTo(position);
          stepped = true;
        }
      } finally {
        applyLock.unlock();
      }
    }
    if (stepped) {
      waiters.advanceTo(applied.index());
    } else {
      inFlight.incrementAndGet();
      // Outside the lock: a full queue blocks here until the apply thread drains it.
      groupCommit.submit(GroupCommit.Pending.positionOnly(position));
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
      lockCommitted(applyLock);
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
