package io.gravwell.datastore.node.raft;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Linearizable reads that arrive together share one ReadIndex round, as etcd's read loop does, instead of
 * one round each: at 64 concurrent readers a round per read cost a gRPC call to the leader (from a
 * follower), a leadership check and a Ratis request per read.
 *
 * <p>A read may run on this node's state once a round that <em>began after the read arrived</em> has
 * completed. Such a round confirmed with a quorum an index at least as new as every write acknowledged
 * before the read arrived, and completes only once this node has applied that index. A round already in
 * flight when a read arrives may have fixed its index before the read's preceding writes were
 * acknowledged, so the read waits for the next round. At most one round is in flight; the next one
 * carries every read that arrived meanwhile.
 *
 * <p>A failed round fails the reads it carried, as their own rounds would have failed; later reads get a
 * round of their own. Rounds are started outside the lock: a round that Ratis completes on its own thread
 * while that thread holds Ratis locks must not wait here for a thread that is calling into Ratis.
 */
final class ReadBarrier {
  private final Supplier<CompletableFuture<?>> round;
  private final Object lock = new Object();
  /** The reads that arrived while a round was in flight; null when there are none. */
  private CompletableFuture<Void> waiting;
  private boolean inFlight;

  /** @param round starts one ReadIndex round; it completes once this node has applied the confirmed index */
  ReadBarrier(Supplier<CompletableFuture<?>> round) {
    this.round = round;
  }

  /** Completes when a read that arrives now may run on this node's state; fails with its round. */
  CompletableFuture<Void> pass() {
    CompletableFuture<Void> mine;
    CompletableFuture<Void> start = null;
    synchronized (lock) {
      if (waiting == null) {
        waiting = new CompletableFuture<>();
      }
      mine = waiting;
      if (!inFlight) {
        inFlight = true;
        start = waiting;
        waiting = null;
      }
    }
    if (start != null) {
      begin(start);
    }
    return mine;
  }

  private void begin(CompletableFuture<Void> batch) {
    CompletableFuture<?> started;
    try {
      started = round.get();
    } catch (RuntimeException e) {
      started = CompletableFuture.failedFuture(e);
    }
    started.whenComplete((ignored, error) -> {
      CompletableFuture<Void> next;
      synchronized (lock) {
        next = waiting;
        waiting = null;
        inFlight = next != null;
      }
      if (next != null) {
        begin(next);
      }
      if (error != null) {
        batch.completeExceptionally(error);
      } else {
        batch.complete(null);
      }
    });
  }
}
