package io.gravwell.datastore.chaos.history;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A thread-safe recorder of operations. Every event takes the next index and a clock reading under one lock,
 * so index order and time order agree and both are the real-time order the checkers rely on.
 *
 * <p>A process has at most one operation outstanding: start the next one after the previous completed (an
 * operation that timed out is completed with {@link #unknown}).
 */
public final class History {

  /** The fail reason of a CAS whose comparison failed: it read a value other than the expected one. */
  public static final String CAS_MISMATCH = "mismatch";

  private final LongSupplier nanoClock;
  private final List<Op> ops = new ArrayList<>();
  private final Map<Integer, Op> outstanding = new HashMap<>();

  public History() {
    this(System::nanoTime);
  }

  public History(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
  }

  /** Records a call and returns its handle, to be passed to exactly one of ok, fail or unknown. */
  public synchronized long invoke(int process, OpType f, String key, Object value) {
    Op running = outstanding.get(process);
    if (running != null) {
      throw new IllegalStateException("process " + process + " still has operation " + running.describe()
          + " outstanding; complete it (ok, fail or unknown) before invoking another");
    }
    Op op = append(process, f, key, value, Outcome.INVOKE, null);
    outstanding.put(process, op);
    return op.index();
  }

  /** The operation took effect; {@code value} is its answer (the value read, for a read). */
  public void ok(long p, Object value) {
    complete(p, Outcome.OK, value, null);
  }

  /** The operation certainly did not take effect ({@link #CAS_MISMATCH}: the CAS compared and failed). */
  public void fail(long p, String reason) {
    complete(p, Outcome.FAIL, null, reason);
  }

  /** Nobody knows whether the operation took effect (a timeout, a lost connection). */
  public void unknown(long p, String reason) {
    complete(p, Outcome.UNKNOWN, null, reason);
  }

  /** A snapshot of every event so far, in index order. */
  public synchronized List<Op> ops() {
    return List.copyOf(ops);
  }

  /** The snapshot as whole operations; see {@link #complete(List)}. */
  public List<CompletedOp> completed() {
    return complete(ops());
  }

  /**
   * Pairs each invoke with its completion, in invoke order. An invoke without a completion (the run ended
   * first) is an UNKNOWN operation.
   */
  public static List<CompletedOp> complete(List<Op> events) {
    Map<Integer, Integer> open = new HashMap<>();
    List<Op> invokes = new ArrayList<>();
    Map<Integer, Op> completions = new LinkedHashMap<>();
    for (Op e : events) {
      if (e.outcome() == Outcome.INVOKE) {
        if (open.containsKey(e.process())) {
          throw new IllegalArgumentException("process " + e.process() + " invoked " + e.describe()
              + " while " + invokes.get(open.get(e.process())).describe() + " was outstanding");
        }
        open.put(e.process(), invokes.size());
        invokes.add(e);
      } else {
        Integer i = open.remove(e.process());
        if (i == null) {
          throw new IllegalArgumentException("completion " + e.describe() + " has no outstanding invoke");
        }
        completions.put(i, e);
      }
    }
    List<CompletedOp> result = new ArrayList<>(invokes.size());
    for (int i = 0; i < invokes.size(); i++) {
      result.add(new CompletedOp(invokes.get(i), completions.get(i)));
    }
    return result;
  }

  private synchronized void complete(long p, Outcome outcome, Object value, String reason) {
    Op invoke = p >= 0 && p < ops.size() ? ops.get((int) p) : null;
    if (invoke == null || invoke.outcome() != Outcome.INVOKE || outstanding.get(invoke.process()) != invoke) {
      throw new IllegalStateException("operation " + p + " is not outstanding (already completed, or not a "
          + "handle returned by invoke)");
    }
    outstanding.remove(invoke.process());
    append(invoke.process(), invoke.type(), invoke.key(), value, outcome, reason);
  }

  private Op append(int process, OpType f, String key, Object value, Outcome outcome, String error) {
    Op op = new Op(ops.size(), process, f, key, value, outcome, nanoClock.getAsLong(), error);
    ops.add(op);
    return op;
  }
}
