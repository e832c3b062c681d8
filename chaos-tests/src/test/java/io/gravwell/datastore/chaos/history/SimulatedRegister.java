package io.gravwell.datastore.chaos.history;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Histories of a correct register store: random concurrent operations, each applied atomically at a random
 * point strictly inside its interval. Some writes and CASes time out (UNKNOWN) and then took effect or not;
 * some are rejected (FAIL) and never happen. Every history it makes is linearizable by construction.
 */
final class SimulatedRegister {

  /** A value no simulated write ever writes. */
  static final long NEVER_WRITTEN = 1_000_000L;
  /** A value written only once, before every simulated operation. */
  static final long STALE = 2_000_000L;

  private final Random random;
  private final int processes;
  private final int opsPerProcess;
  private final int values;
  private final int keys;
  private boolean startsStale;
  private double unknownRate = 0.05;
  private double rejectRate = 0.03;

  SimulatedRegister(long seed, int processes, int opsPerProcess, int values, int keys) {
    this.random = new Random(seed);
    this.processes = processes;
    this.opsPerProcess = opsPerProcess;
    this.values = values;
    this.keys = keys;
  }

  SimulatedRegister faults(double unknownRate, double rejectRate) {
    this.unknownRate = unknownRate;
    this.rejectRate = rejectRate;
    return this;
  }

  /** Writes {@link #STALE} (by an extra process) before every other operation. */
  SimulatedRegister startingStale() {
    this.startsStale = true;
    return this;
  }

  private static final class Planned {
    int process;
    OpType type;
    String key;
    Object argument;
    long start;
    long at;
    long end;
    Outcome outcome;
    boolean takesEffect;
    Object answer;
    String error;
  }

  private record Event(long time, Planned op, boolean call) {
  }

  List<Op> history() {
    List<Planned> planned = new ArrayList<>();
    for (int k = 0; startsStale && k < keys; k++) {
      Planned first = new Planned();
      first.process = processes + k;
      first.type = OpType.WRITE;
      first.key = "k" + k;
      first.argument = STALE;
      first.outcome = Outcome.OK;
      first.takesEffect = true;
      first.start = -3 - 3L * k;
      first.at = first.start + 1;
      first.end = first.start + 2;
      planned.add(first);
    }
    for (int p = 0; p < processes; p++) {
      long t = random.nextInt(10);
      for (int i = 0; i < opsPerProcess; i++) {
        Planned op = plan(p);
        long start = t + random.nextInt(5);
        long duration = 2 + random.nextInt(30);
        // times are distinct: each process owns one residue modulo the process count
        op.start = start * processes + p;
        op.at = (start + 1 + random.nextInt((int) duration - 1)) * processes + p;
        op.end = (start + duration) * processes + p;
        t = start + duration + 1;
        planned.add(op);
      }
    }
    applyInLinearizationOrder(planned);
    return record(planned);
  }

  private Planned plan(int process) {
    Planned op = new Planned();
    op.process = process;
    op.key = "k" + random.nextInt(keys);
    int kind = random.nextInt(10);
    op.type = kind < 4 ? OpType.READ : kind < 7 ? OpType.WRITE : OpType.CAS;
    op.argument = switch (op.type) {
      case WRITE -> (long) random.nextInt(values);
      case CAS -> new long[] {random.nextInt(values), random.nextInt(values)};
      default -> null;
    };
    double fate = random.nextDouble();
    if (fate < unknownRate) {
      op.outcome = Outcome.UNKNOWN;
      op.takesEffect = random.nextBoolean();
      op.error = "timed out";
    } else if (fate < unknownRate + rejectRate) {
      op.outcome = Outcome.FAIL;
      op.error = "rejected";
    } else {
      op.outcome = Outcome.OK;
      op.takesEffect = true;
    }
    return op;
  }

  private static void applyInLinearizationOrder(List<Planned> planned) {
    Map<String, Long> register = new HashMap<>();
    List<Planned> byPoint = new ArrayList<>(planned);
    byPoint.sort(Comparator.comparingLong(o -> o.at));
    for (Planned op : byPoint) {
      if (!op.takesEffect) {
        continue;
      }
      Long current = register.get(op.key);
      switch (op.type) {
        case READ -> op.answer = current;
        case WRITE -> register.put(op.key, (Long) op.argument);
        default -> {
          long[] cas = (long[]) op.argument;
          if (current != null && current == cas[0]) {
            register.put(op.key, cas[1]);
          } else if (op.outcome == Outcome.OK) {
            op.outcome = Outcome.FAIL;
            op.error = History.CAS_MISMATCH;
          }
        }
      }
    }
  }

  private static List<Op> record(List<Planned> planned) {
    List<Event> events = new ArrayList<>();
    for (Planned op : planned) {
      events.add(new Event(op.start, op, true));
      events.add(new Event(op.end, op, false));
    }
    events.sort(Comparator.comparingLong(Event::time));
    long[] now = new long[1];
    History history = new History(() -> now[0]);
    Map<Planned, Long> handles = new HashMap<>();
    for (Event e : events) {
      now[0] = e.time();
      Planned op = e.op();
      if (e.call()) {
        handles.put(op, history.invoke(op.process, op.type, op.key, op.argument));
        continue;
      }
      long p = handles.get(op);
      switch (op.outcome) {
        case OK -> history.ok(p, op.answer);
        case FAIL -> history.fail(p, op.error);
        default -> history.unknown(p, op.error);
      }
    }
    return history.ops();
  }

  /** A history with one read's answer replaced, and that read's completion. */
  record Corrupted(List<Op> history, Op read) {
  }

  /** The history with one OK read answering a value nobody wrote; null if it has no OK read. */
  static Corrupted withOneReadCorrupted(List<Op> history, Random random) {
    return withOneReadAnswering(history, random, NEVER_WRITTEN, -1);
  }

  /**
   * The history (made {@link #startingStale()}) with one OK read answering {@link #STALE} although it was
   * invoked after a write of another value completed; null if there is no such read.
   */
  static Corrupted withOneStaleRead(List<Op> history, Random random) {
    // the first completed write is the one of STALE itself, before everything else
    long overwritten = history.stream().filter(o -> o.type() == OpType.WRITE && o.outcome() == Outcome.OK)
        .mapToLong(Op::index).skip(1).findFirst().orElse(Long.MAX_VALUE);
    return withOneReadAnswering(history, random, STALE, overwritten);
  }

  private static Corrupted withOneReadAnswering(List<Op> history, Random random, long answer, long after) {
    List<Integer> okReads = new ArrayList<>();
    Map<Integer, Long> invokedAt = new HashMap<>();
    for (int i = 0; i < history.size(); i++) {
      Op op = history.get(i);
      if (op.outcome() == Outcome.INVOKE) {
        invokedAt.put(op.process(), op.index());
      } else if (op.type() == OpType.READ && op.outcome() == Outcome.OK && invokedAt.get(op.process()) > after) {
        okReads.add(i);
      }
    }
    if (okReads.isEmpty()) {
      return null;
    }
    int i = okReads.get(random.nextInt(okReads.size()));
    Op read = history.get(i);
    Op wrong = new Op(read.index(), read.process(), read.type(), read.key(), answer, read.outcome(), read.time(),
        read.error());
    List<Op> corrupted = new ArrayList<>(history);
    corrupted.set(i, wrong);
    return new Corrupted(corrupted, wrong);
  }
}
