package io.gravwell.datastore.statemachine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gravwell.datastore.statemachine.v1.EntryResult;
import io.gravwell.datastore.statemachine.v1.LogEntry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The queue and thread alone, with a recording batch consumer instead of a store. */
class GroupCommitTest {

  private final List<List<Long>> batches = new CopyOnWriteArrayList<>();
  private final CountDownLatch firstBatchMayFinish = new CountDownLatch(1);

  private void record(List<GroupCommit.Pending> batch) {
    batches.add(batch.stream().map(p -> p.position.index()).toList());
    if (batches.size() == 1) {
      try {
        firstBatchMayFinish.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    batch.forEach(p -> p.result.complete(EntryResult.getDefaultInstance()));
  }

  /** An applier that settles each batch itself and never leaves anything open between batches. */
  private static GroupCommit.Applier eachBatch(java.util.function.Consumer<List<GroupCommit.Pending>> apply) {
    return new GroupCommit.Applier() {
      @Override
      public void apply(List<GroupCommit.Pending> batch) {
        apply.accept(batch);
      }

      @Override
      public long commitDueInNanos() {
        return Long.MAX_VALUE;
      }

      @Override
      public void commit() {
      }
    };
  }

  private static GroupCommit.Pending at(long index) {
    return GroupCommit.Pending.positionOnly(new AppliedPosition(1, index));
  }

  @Test
  void whatQueuesUpDuringOneBatchGoesIntoTheNextInLogOrder() {
    try (GroupCommit g = new GroupCommit("test-apply", 100, 8, 1 << 20, eachBatch(this::record))) {
      g.start();
      List<CompletableFuture<EntryResult>> results = new ArrayList<>();
      results.add(g.submit(at(1)));
      await().atMost(Duration.ofSeconds(5)).until(() -> batches.size() == 1);
      for (long i = 2; i <= 12; i++) {
        results.add(g.submit(at(i)));
      }
      assertThat(g.lastSubmitted()).isEqualTo(12);

      firstBatchMayFinish.countDown();

      await().atMost(Duration.ofSeconds(5)).until(() -> results.stream().allMatch(CompletableFuture::isDone));
      assertThat(batches).containsExactly(List.of(1L), List.of(2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L),
          List.of(10L, 11L, 12L));
    }
  }

  @Test
  void aFailingBatchFailsItsEntriesAndTheThreadGoesOn() {
    List<List<Long>> seen = new CopyOnWriteArrayList<>();
    try (GroupCommit g = new GroupCommit("test-apply", 100, 8, 1 << 20, eachBatch(batch -> {
      seen.add(batch.stream().map(p -> p.position.index()).toList());
      if (seen.size() == 1) {
        throw new IllegalStateException("disk on fire");
      }
      batch.forEach(p -> p.result.complete(EntryResult.getDefaultInstance()));
    }))) {
      g.start();
      CompletableFuture<EntryResult> first = g.submit(at(1));
      await().atMost(Duration.ofSeconds(5)).until(first::isDone);
      assertThat(first).isCompletedExceptionally();

      CompletableFuture<EntryResult> second = g.submit(at(2));
      await().atMost(Duration.ofSeconds(5)).until(second::isDone);
      assertThat(second).isCompletedWithValue(EntryResult.getDefaultInstance());
    }
  }

  @Test
  void closeAppliesWhatIsQueuedFirst() {
    GroupCommit g = new GroupCommit("test-apply", 100, 8, 1 << 20, eachBatch(this::record));
    g.start();
    firstBatchMayFinish.countDown();
    List<CompletableFuture<EntryResult>> results = new ArrayList<>();
    for (long i = 1; i <= 20; i++) {
      results.add(g.submit(at(i)));
    }

    g.close();

    assertThat(results).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
    assertThat(batches.stream().flatMap(List::stream).toList()).hasSize(20).isSorted();
  }

  @Test
  void largeEntriesWaitOutsideTheQueueOnceItHoldsItsBytes() throws Exception {
    LogEntry chunk = LogEntry.newBuilder().setTimestampMs(1)
        .setWrite(io.gravwell.datastore.protocol.v1.Batch.newBuilder().addMutations(
            io.gravwell.datastore.protocol.v1.Mutation.newBuilder().setPut(
                io.gravwell.datastore.protocol.v1.Put.newBuilder().setObject(
                    io.gravwell.datastore.protocol.v1.StoredObject.newBuilder().setPayload(
                        com.google.protobuf.ByteString.copyFrom(new byte[300 << 10]))))))
        .build();
    try (GroupCommit g = new GroupCommit("test-apply", 100, 8, 1 << 20, eachBatch(this::record))) {
      g.start();
      java.util.concurrent.atomic.AtomicLong submitted = new java.util.concurrent.atomic.AtomicLong();
      Thread updater = new Thread(() -> {
        for (long i = 1; i <= 10; i++) {
          g.submit(GroupCommit.Pending.entry(new AppliedPosition(1, i), chunk));
          submitted.set(i);
        }
      });
      updater.start();
      await().atMost(Duration.ofSeconds(5)).until(() -> batches.size() == 1
          && updater.getState() == Thread.State.WAITING);
      // entry 1 is being applied (its bytes still count); 2..4 fit in 1 MiB beside it, 5 must wait
      assertThat(submitted.get()).isLessThanOrEqualTo(4);

      firstBatchMayFinish.countDown();

      updater.join(5_000);
      assertThat(submitted.get()).isEqualTo(10);
      await().atMost(Duration.ofSeconds(5)).until(() -> batches.stream().mapToInt(List::size).sum() == 10);
      assertThat(batches).as("a quarter of the byte bound per transaction: one chunk each")
          .allMatch(b -> b.size() == 1);
    }
  }

  /** An applier that leaves a window open after each batch until it is due, or asked for at once. */
  private static final class WindowRecorder implements GroupCommit.Applier {
    final long delayNanos;
    final java.util.concurrent.atomic.AtomicInteger commits = new java.util.concurrent.atomic.AtomicInteger();
    final List<Long> applied = new CopyOnWriteArrayList<>();
    volatile boolean commitNow;
    volatile long commitAfterNanos;
    private long openedAt = -1;

    WindowRecorder(Duration delay) {
      this.delayNanos = delay.toNanos();
    }

    @Override
    public void apply(List<GroupCommit.Pending> batch) {
      if (openedAt < 0) {
        openedAt = System.nanoTime();
      }
      batch.forEach(p -> {
        applied.add(p.position.index());
        p.result.complete(EntryResult.getDefaultInstance());
      });
    }

    @Override
    public long commitDueInNanos() {
      if (openedAt < 0) {
        return Long.MAX_VALUE;
      }
      return commitNow ? 0 : delayNanos - (System.nanoTime() - openedAt);
    }

    @Override
    public void commit() {
      commitAfterNanos = System.nanoTime() - openedAt;
      openedAt = -1;
      commits.incrementAndGet();
    }
  }

  @Test
  void anOpenWindowCommitsOnceItsDelayHasPassedWithoutMoreEntries() {
    WindowRecorder w = new WindowRecorder(Duration.ofMillis(300));
    try (GroupCommit g = new GroupCommit("test-apply", 100, 8, 1 << 20, w)) {
      g.start();
      g.submit(at(1));
      g.submit(at(2));

      await().atMost(Duration.ofSeconds(5)).until(() -> w.commits.get() == 1);
      assertThat(w.applied).containsExactly(1L, 2L);
      assertThat(Duration.ofNanos(w.commitAfterNanos)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }
  }

  @Test
  void aNudgeMakesTheThreadAskAgainAndCloseCommitsWhatIsOpen() {
    WindowRecorder w = new WindowRecorder(Duration.ofMinutes(10));
    GroupCommit g = new GroupCommit("test-apply", 100, 8, 1 << 20, w);
    g.start();
    CompletableFuture<EntryResult> first = g.submit(at(1));
    await().atMost(Duration.ofSeconds(5)).until(first::isDone);
    assertThat(w.commits).as("answered, window still open").hasValue(0);

    w.commitNow = true;
    g.nudge();
    await().atMost(Duration.ofSeconds(5)).until(() -> w.commits.get() == 1);

    w.commitNow = false;
    CompletableFuture<EntryResult> second = g.submit(at(2));
    await().atMost(Duration.ofSeconds(5)).until(second::isDone);
    g.close();
    assertThat(w.commits).as("close commits the window left open").hasValue(2);
  }
}
