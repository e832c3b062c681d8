package io.gravwell.datastore.chaos.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HistoryTest {

  @Test
  void recordsInvokesAndCompletionsWithTheInjectedClock() {
    AtomicLong clock = new AtomicLong(100);
    History h = new History(() -> clock.getAndAdd(10));

    long w = h.invoke(0, OpType.WRITE, "x", 5L);
    long r = h.invoke(1, OpType.READ, "x", null);
    h.ok(w, null);
    h.fail(r, "not leader");

    assertThat(h.ops()).containsExactly(
        new Op(0, 0, OpType.WRITE, "x", 5L, Outcome.INVOKE, 100, null),
        new Op(1, 1, OpType.READ, "x", null, Outcome.INVOKE, 110, null),
        new Op(2, 0, OpType.WRITE, "x", null, Outcome.OK, 120, null),
        new Op(3, 1, OpType.READ, "x", null, Outcome.FAIL, 130, "not leader"));
  }

  @Test
  void completedOperationsPairByProcessAndUnfinishedOnesAreUnknown() {
    History h = new History();
    long cas = h.invoke(0, OpType.CAS, "x", new long[] {1, 2});
    long read = h.invoke(1, OpType.READ, "x", null);
    h.ok(read, 7L);
    h.invoke(1, OpType.WRITE, "x", 3L);
    h.fail(cas, History.CAS_MISMATCH);
    long timedOut = h.invoke(2, OpType.ADD, "s", 9L);
    h.unknown(timedOut, "timeout");

    List<CompletedOp> ops = h.completed();

    assertThat(ops).extracting(CompletedOp::type).containsExactly(OpType.CAS, OpType.READ, OpType.WRITE,
        OpType.ADD);
    assertThat(ops.get(0).casMismatch()).isTrue();
    assertThat(ops.get(0).completeIndex()).isEqualTo(4);
    assertThat(ops.get(1).answer()).isEqualTo(7L);
    assertThat(ops.get(1).completeTime()).isGreaterThanOrEqualTo(ops.get(1).invokeTime());
    assertThat(ops.get(2).outcome()).isEqualTo(Outcome.UNKNOWN);
    assertThat(ops.get(2).completion()).isNull();
    assertThat(ops.get(2).completeIndex()).isEqualTo(Long.MAX_VALUE);
    assertThat(ops.get(2).completeTime()).isEqualTo(Long.MAX_VALUE);
    assertThat(ops.get(3).outcome()).isEqualTo(Outcome.UNKNOWN);
    assertThat(ops.get(3).error()).isEqualTo("timeout");
    assertThat(ops.get(3).describe()).isEqualTo("p2 ADD s 9 -> unknown (timeout) [#5, #6]");
  }

  @Test
  void aProcessHasOneOperationOutstanding() {
    History h = new History();
    long first = h.invoke(3, OpType.READ, "x", null);

    assertThatThrownBy(() -> h.invoke(3, OpType.READ, "y", null)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("process 3 still has operation #0 p3 invoke READ x outstanding");
    h.ok(first, null);
    assertThatThrownBy(() -> h.ok(first, null)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("operation 0 is not outstanding");
    assertThatThrownBy(() -> h.unknown(42, "?")).isInstanceOf(IllegalStateException.class);
    assertThat(h.ops()).hasSize(2);
  }

  @Test
  void handMadeHistoriesThatDoNotPairUpAreRejected() {
    Op orphan = new Op(0, 1, OpType.READ, "x", 1L, Outcome.OK, 0, null);

    assertThatThrownBy(() -> History.complete(List.of(orphan))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no outstanding invoke");
  }

  @Test
  void concurrentRecordingKeepsIndexAndTimeInOneOrder() throws Exception {
    History h = new History();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<?>> done = new ArrayList<>();
    for (int p = 0; p < 8; p++) {
      int process = p;
      done.add(pool.submit(() -> {
        for (int i = 0; i < 1_000; i++) {
          long op = h.invoke(process, OpType.ADD, "s", (long) process * 1_000 + i);
          h.ok(op, null);
        }
      }));
    }
    for (Future<?> f : done) {
      f.get(30, TimeUnit.SECONDS);
    }
    pool.shutdown();

    List<Op> ops = h.ops();
    assertThat(ops).hasSize(16_000);
    for (int i = 0; i < ops.size(); i++) {
      assertThat(ops.get(i).index()).isEqualTo(i);
      if (i > 0) {
        assertThat(ops.get(i).time()).isGreaterThanOrEqualTo(ops.get(i - 1).time());
      }
    }
    assertThat(h.completed()).hasSize(8_000).allMatch(o -> o.outcome() == Outcome.OK);
  }
}
