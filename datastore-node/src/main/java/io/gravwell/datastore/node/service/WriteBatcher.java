package io.gravwell.datastore.node.service;

import io.gravwell.datastore.protocol.v1.Batch;
import io.gravwell.datastore.protocol.v1.Response;
import io.gravwell.datastore.statemachine.v1.EntryResult;
import io.gravwell.datastore.statemachine.v1.LogEntry;
import io.gravwell.datastore.statemachine.v1.WriteGroup;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Groups concurrent writes from every connection into shared Raft entries: one append, replication round
 * and fsync then serves many clients. It never waits to fill a group: a write goes out at once while fewer
 * than {@code maxInFlight} entries are in flight, and writes that arrive meanwhile queue up and leave
 * together when one completes. So a lone writer sees no added latency, and a busy node batches by itself.
 */
final class WriteBatcher {
  /** Protobuf framing of one batch inside a WriteGroup (tag + length), an upper bound. */
  private static final int PER_BATCH_OVERHEAD = 6;

  private record Pending(Batch batch, int bytes, CompletableFuture<Response> answer) {}

  private final Function<LogEntry, CompletableFuture<EntryResult>> raft;
  private final LongSupplier clock;
  private final int maxInFlight;
  private final int maxEntryBytes;
  private final int maxBatchesPerEntry;
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private int inFlight;

  WriteBatcher(Function<LogEntry, CompletableFuture<EntryResult>> raft, LongSupplier clock,
      int maxInFlight, int maxEntryBytes, int maxBatchesPerEntry) {
    this.raft = raft;
    this.clock = clock;
    this.maxInFlight = maxInFlight;
    this.maxEntryBytes = maxEntryBytes;
    this.maxBatchesPerEntry = maxBatchesPerEntry;
  }

  /** The batch must already fit in one entry on its own (the caller refuses larger ones). */
  CompletableFuture<Response> submit(Batch batch) {
    Pending p = new Pending(batch, batch.getSerializedSize() + PER_BATCH_OVERHEAD, new CompletableFuture<>());
    synchronized (this) {
      queue.add(p);
    }
    drain();
    return p.answer();
  }

  private void drain() {
    while (true) {
      List<Pending> group;
      synchronized (this) {
        if (inFlight >= maxInFlight || queue.isEmpty()) {
          return;
        }
        group = takeGroup();
        inFlight++;
      }
      send(group);
    }
  }

  /** Up to maxBatchesPerEntry queued batches whose sizes fit in one entry; always at least one. */
  private List<Pending> takeGroup() {
    List<Pending> group = new ArrayList<>();
    int bytes = 0;
    while (!queue.isEmpty() && group.size() < maxBatchesPerEntry) {
      Pending next = queue.peek();
      if (!group.isEmpty() && bytes + next.bytes() > maxEntryBytes) {
        break;
      }
      group.add(queue.poll());
      bytes += next.bytes();
    }
    return group;
  }

  private void send(List<Pending> group) {
    LogEntry.Builder entry = LogEntry.newBuilder().setTimestampMs(clock.getAsLong());
    if (group.size() == 1) {
      entry.setWrite(group.get(0).batch());
    } else {
      WriteGroup.Builder g = WriteGroup.newBuilder();
      group.forEach(p -> g.addBatches(p.batch()));
      entry.setWriteGroup(g);
    }
    CompletableFuture<EntryResult> sent;
    try {
      sent = raft.apply(entry.build());
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    sent.whenComplete((result, error) -> {
      synchronized (this) {
        inFlight--;
      }
      answer(group, result, error);
      drain();
    });
  }

  private static void answer(List<Pending> group, EntryResult result, Throwable error) {
    for (int i = 0; i < group.size(); i++) {
      CompletableFuture<Response> answer = group.get(i).answer();
      if (error != null) {
        answer.completeExceptionally(error);
        continue;
      }
      Response.Builder r = Response.newBuilder().setIdentity(result.getIdentity());
      if (result.hasError()) {
        r.setError(result.getError());
      } else if (result.hasWriteGroup()) {
        r.setWrite(result.getWriteGroup().getResults(i));
      } else {
        r.setWrite(result.getWrite());
      }
      answer.complete(r.build());
    }
  }

  synchronized int queued() {
    return queue.size();
  }
}
