package io.gravwell.datastore.statemachine;

import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * Futures that complete once the state machine has applied a given index. BaseStateMachine has its own
 * queue for queryStale, but in Ratis 3.3.0 it is only drained when the applied index is set to the value
 * it already has, so a stale read that has to wait would wait forever; this replaces it.
 */
final class AppliedIndexWaiters {

  private final NavigableMap<Long, CompletableFuture<Void>> waiting = new TreeMap<>();
  private final Runnable onWait;
  private long applied = -1;

  /** @param onWait run (outside the lock) whenever someone starts waiting: a cue to make applies visible */
  AppliedIndexWaiters(Runnable onWait) {
    this.onWait = onWait;
  }

  CompletableFuture<Void> whenApplied(long index) {
    CompletableFuture<Void> f;
    synchronized (this) {
      if (index <= applied) {
        return CompletableFuture.completedFuture(null);
      }
      f = waiting.computeIfAbsent(index, i -> new CompletableFuture<>());
    }
    onWait.run();
    return f;
  }

  /** The lowest index someone waits for; MAX_VALUE if nobody waits. */
  synchronized long lowestWaiting() {
    return waiting.isEmpty() ? Long.MAX_VALUE : waiting.firstKey();
  }

  void advanceTo(long index) {
    NavigableMap<Long, CompletableFuture<Void>> due;
    synchronized (this) {
      if (index <= applied) {
        return;
      }
      applied = index;
      NavigableMap<Long, CompletableFuture<Void>> head = waiting.headMap(index, true);
      due = new TreeMap<>(head);
      head.clear();
    }
    // Completed outside the lock: callbacks may run queries or register more waiters.
    due.values().forEach(f -> f.complete(null));
  }

  void failAll(Throwable cause) {
    Map<Long, CompletableFuture<Void>> all;
    synchronized (this) {
      all = new TreeMap<>(waiting);
      waiting.clear();
    }
    all.values().forEach(f -> f.completeExceptionally(cause));
  }
}
