package io.gravwell.datastore.statemachine;

import io.gravwell.datastore.statemachine.v1.EntryResult;
import io.gravwell.datastore.statemachine.v1.LogEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Committed entries waiting for apply, and the one thread that applies them: whatever queued up while the
 * previous batch was applied goes into the next one. A store commit per entry was the largest share of
 * apply's CPU (one tree save each); with several entries per transaction that cost is shared.
 *
 * <p>Order is the log's: Ratis' updater thread submits in index order, and only this thread drains. The
 * queue is bounded in entries and in bytes (resource chunks are 512 KiB each), so an apply that falls
 * behind slows the updater instead of filling the heap; one entry is always admitted, however large.
 *
 * <p>The {@link Applier} may leave its store transaction open after a batch, so that the next batches
 * share its commit ({@link CommitWindow}); this thread then commits it when the applier says it is due,
 * waiting for more entries meanwhile, and before it stops. {@link #nudge} wakes it to ask again.
 */
final class GroupCommit implements AutoCloseable {

  /** What the thread drives; every method is only called from it, one at a time. */
  interface Applier {
    /** Applies a batch and settles every {@link Pending#result}; may leave a store transaction open. */
    void apply(List<Pending> batch);

    /** Nanoseconds until the open transaction must commit: 0 or less for now, MAX_VALUE if none is open. */
    long commitDueInNanos();

    /** Commits the open transaction; handles its own failures. */
    void commit();
  }

  /** One committed entry, or a position-only step (an entry without state-machine data). */
  static final class Pending {
    final AppliedPosition position;
    final LogEntry entry;          // null: unreadable or position-only
    final String unreadable;       // why the bytes are not a LogEntry; null otherwise
    final long bytes;              // what the entry holds on the heap while it waits, roughly
    final CompletableFuture<EntryResult> result = new CompletableFuture<>();

    private Pending(AppliedPosition position, LogEntry entry, String unreadable) {
      this.position = position;
      this.entry = entry;
      this.unreadable = unreadable;
      this.bytes = entry == null ? 0 : entry.getSerializedSize();
    }

    static Pending entry(AppliedPosition position, LogEntry entry) {
      return new Pending(position, entry, null);
    }

    static Pending unreadable(AppliedPosition position, String reason) {
      return new Pending(position, null, reason);
    }

    static Pending positionOnly(AppliedPosition position) {
      return new Pending(position, null, null);
    }

    boolean isPositionOnly() {
      return entry == null && unreadable == null;
    }
  }

  private static final Pending STOP = Pending.positionOnly(AppliedPosition.NONE);
  // Wakes the thread without an entry; at most one is queued at a time (see nudged).
  private static final Pending NUDGE = Pending.positionOnly(AppliedPosition.NONE);

  private final BlockingQueue<Pending> queue;
  private final int maxBatch;
  private final long maxQueuedBytes;
  private final Object bytesChanged = new Object();
  private long queuedBytes; // guarded by bytesChanged
  private final Applier applier;
  private final AtomicBoolean nudged = new AtomicBoolean();
  private final Thread thread;
  private volatile long lastSubmitted = -1;

  GroupCommit(String name, int capacity, int maxBatch, long maxQueuedBytes, Applier applier) {
    this.queue = new LinkedBlockingQueue<>(capacity);
    this.maxBatch = maxBatch;
    this.maxQueuedBytes = maxQueuedBytes;
    this.applier = applier;
    this.thread = new Thread(this::run, name);
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** Queues {@code p} behind everything submitted before it; blocks while the queue is full. */
  CompletableFuture<EntryResult> submit(Pending p) {
    try {
      synchronized (bytesChanged) {
        while (queuedBytes > 0 && queuedBytes + p.bytes > maxQueuedBytes) {
          bytesChanged.wait();
        }
        queuedBytes += p.bytes;
      }
      queue.put(p);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.result.completeExceptionally(e);
      return p.result;
    }
    lastSubmitted = Math.max(lastSubmitted, p.position.index());
    return p.result;
  }

  /** The highest index handed to {@link #submit}; an apply of everything up to it is on its way. */
  long lastSubmitted() {
    return lastSubmitted;
  }

  /**
   * Makes the thread ask {@link Applier#commitDueInNanos} again soon, e.g. because a reader now waits for
   * what the open transaction holds. Cheap and safe from any thread, however often.
   */
  void nudge() {
    // A full queue needs no nudge: the thread asks again after every batch.
    if (nudged.compareAndSet(false, true) && !queue.offer(NUDGE)) {
      nudged.set(false);
    }
  }

  private void run() {
    List<Pending> batch = new ArrayList<>(maxBatch);
    while (true) {
      long due = applier.commitDueInNanos();
      if (due <= 0) {
        applier.commit();
        continue;
      }
      Pending first;
      try {
        first = due == Long.MAX_VALUE ? queue.take() : queue.poll(due, TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        commitIfOpen(); // an open window holds the state machine's locks
        return;
      }
      if (first == null || first == NUDGE) {
        nudged.set(false);
        continue;
      }
      if (first == STOP) {
        commitIfOpen();
        return;
      }
      batch.add(first);
      long bytes = first.bytes;
      // Also bounded in bytes, so one store transaction does not hold a run of resource chunks at once.
      for (Pending next; batch.size() < maxBatch && bytes < maxQueuedBytes / 4 && (next = queue.poll()) != null; ) {
        batch.add(next);
        bytes += next.bytes;
      }
      boolean stop = batch.remove(STOP);
      if (batch.removeIf(p -> p == NUDGE)) {
        nudged.set(false);
      }
      try {
        if (!batch.isEmpty()) {
          applier.apply(batch);
        }
      } catch (RuntimeException | Error e) {
        // applyBatch settles its own futures; this only keeps the thread alive for what follows.
        batch.forEach(p -> p.result.completeExceptionally(e));
      }
      batch.clear();
      synchronized (bytesChanged) {
        queuedBytes -= bytes;
        bytesChanged.notifyAll();
      }
      if (stop) {
        commitIfOpen();
        return;
      }
    }
  }

  private void commitIfOpen() {
    if (applier.commitDueInNanos() != Long.MAX_VALUE) {
      applier.commit();
    }
  }

  /** Applies what is queued, then stops the thread; waits up to {@code timeoutMs}. */
  @Override
  public void close() {
    close(TimeUnit.SECONDS.toMillis(30));
  }

  void close(long timeoutMs) {
    if (!thread.isAlive()) {
      return;
    }
    queue.offer(STOP);
    try {
      thread.join(timeoutMs);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      thread.interrupt();
    }
  }
}
