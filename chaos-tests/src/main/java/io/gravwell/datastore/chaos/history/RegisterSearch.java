package io.gravwell.datastore.chaos.history;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * The Wing–Gong / Lowe search for one key's register history, which starts absent (null).
 *
 * <p>Calls and returns sit in one doubly linked list in real-time order. A configuration is the set of
 * operations linearized so far plus the register's value; its candidates are the unlinearized calls before the
 * first remaining return. The op owning that return is forced: it must be linearized before anything later
 * happens, so (Lowe's just-in-time linearization) it is tried first and the others only to make it possible.
 * An UNKNOWN operation is taken only when it changes the value into one a pending operation needs (a read's
 * value, a CAS's expected value, or any change for a CAS that found a mismatch), and only one of several
 * pending UNKNOWN operations with the same effect is tried: the one left over can do whatever the other could.
 * A move right after an UNKNOWN operation that would have gone the same way without it is not tried.
 * A read-like candidate (a read, or a CAS whose comparison failed) that agrees with the current value is
 * linearized at once without branching: it changes nothing and nothing before it is pending, so every
 * linearization can be rearranged to take it now. Explored configurations are memoized (Lowe's cache), which
 * bounds the search by the number of distinct (linearized set, value) pairs rather than orderings.
 *
 * <p>An UNKNOWN operation has no return: it is never forced, may be linearized whenever a later observation
 * needs it, and may stay unlinearized. The memo keeps the UNKNOWN operations taken as a set and skips a
 * configuration that took a superset of what an explored one took. The history is linearizable when every
 * operation with a return is linearized.
 */
final class RegisterSearch {

  private static final int READ = 0;
  private static final int WRITE = 1;
  private static final int CAS = 2;
  private static final int CAS_MISS = 3;
  /** How many linearized operations before the failing one the window shows. */
  private static final int WINDOW_PREFIX = 3;

  private final String key;
  private final List<CompletedOp> ops = new ArrayList<>();
  private final List<Object> values = new ArrayList<>();
  private final Map<Object, Integer> valueIds = new HashMap<>();
  private int[] kind;
  private int[] argA;
  private int[] argB;
  private boolean[] unknown;
  /** The register before each move of the current path. */
  private int[] statesBefore;
  // per-node scratch marks: an entry equal to the node's stamp is set
  private int[] effect;
  private int[] effectStamp;
  private int[] wantedStamp;
  private int stampCounter;

  // the event list: 0 is the head, 1..n events in index order, n + 1 the tail
  private int[] evOp;
  private boolean[] evCall;
  private int[] next;
  private int[] prev;
  private int[] callPos;
  private int[] retPos;
  private int tail;

  // furthest return reached, for the explanation of a violation
  private int bestReturn = -1;
  private int[] bestPrefix = new int[0];
  private int bestLinearized;
  private final Set<Integer> bestStates = new LinkedHashSet<>();

  RegisterSearch(String key, List<CompletedOp> history) {
    this.key = key;
    valueIds.put(null, 0);
    values.add(null);
    for (CompletedOp op : history) {
      if (constrains(op)) {
        ops.add(op);
      }
    }
    ops.sort(Comparator.comparingLong(CompletedOp::invokeIndex));
    encodeOps();
    numberEffects();
    buildEventList();
  }

  /** Operations that say something about the register. */
  private static boolean constrains(CompletedOp op) {
    return switch (op.outcome()) {
      case OK -> true;
      // a read nobody heard back from tells nothing; a write or CAS might have happened
      case UNKNOWN, INVOKE -> op.type() != OpType.READ;
      // a CAS that compared and lost is a read of "something else"; any other failure never happened
      case FAIL -> op.casMismatch();
    };
  }

  int operationCount() {
    return ops.size();
  }

  CheckResult run(long deadlineNanos, int maxConfigurations) {
    CheckResult unwritten = valueNobodyWrote();
    if (unwritten != null) {
      return unwritten;
    }
    int n = ops.size();
    SplittableRandom random = new SplittableRandom(0x5eed ^ key.hashCode());
    long[] opHash1 = random.longs(n).toArray();
    long[] opHash2 = random.longs(n).toArray();
    // UNKNOWN operations stay out of the hash: the memo keeps the set of those taken instead
    int[] unknownSlot = new int[n];
    int unknowns = 0;
    for (int i = 0; i < n; i++) {
      unknownSlot[i] = unknown[i] ? unknowns++ : -1;
      if (unknown[i]) {
        opHash1[i] = 0;
        opHash2[i] = 0;
      }
    }
    long[] taken = new long[(unknowns + 63) / 64];
    long[] stateHash1 = random.longs(values.size()).toArray();
    long[] stateHash2 = random.longs(values.size()).toArray();
    VisitedConfigurations visited = new VisitedConfigurations(maxConfigurations);

    int[][] candidates = new int[n + 1][];
    int[] tried = new int[n + 1];
    int[] chosen = new int[n + 1];
    statesBefore = new int[n + 1];
    int depth = 0;
    int state = 0;
    long h1 = 0;
    long h2 = 0;
    long steps = 0;

    candidates[0] = candidates(state, depth, chosen);
    if (candidates[0] == null) {
      return valid();
    }
    while (true) {
      if ((++steps & 1023) == 0 && System.nanoTime() - deadlineNanos > 0) {
        return tooComplex("ran out of time", steps, visited);
      }
      if (tried[depth] < candidates[depth].length) {
        int c = candidates[depth][tried[depth]++];
        int after = step(state, c);
        if (after < 0) {
          continue;
        }
        flip(taken, unknownSlot[c]);
        if (!visited.add(h1 ^ opHash1[c] ^ stateHash1[after], h2 ^ opHash2[c] ^ stateHash2[after], taken)) {
          flip(taken, unknownSlot[c]);
          continue;
        }
        if (visited.full()) {
          return tooComplex("explored " + visited.size() + " configurations", steps, visited);
        }
        h1 ^= opHash1[c];
        h2 ^= opHash2[c];
        lift(c);
        chosen[depth] = c;
        statesBefore[depth] = state;
        state = after;
        depth++;
        int[] next = candidates(state, depth, chosen);
        if (next == null) {
          return valid();
        }
        candidates[depth] = next;
        tried[depth] = 0;
      } else {
        if (depth == 0) {
          return violation();
        }
        depth--;
        int c = chosen[depth];
        unlift(c);
        flip(taken, unknownSlot[c]);
        h1 ^= opHash1[c];
        h2 ^= opHash2[c];
        state = statesBefore[depth];
      }
    }
  }

  private static void flip(long[] bits, int slot) {
    if (slot >= 0) {
      bits[slot >>> 6] ^= 1L << slot;
    }
  }

  /**
   * The candidates of the current configuration in the order to try them, or null when every operation with
   * a return is linearized (success).
   */
  private int[] candidates(int state, int depth, int[] path) {
    int x = next[0];
    int count = 0;
    // values some pending operation needs in order to go ahead (marked with this call's stamp), and whether a
    // CAS mismatch needs any change
    int stamp = ++stampCounter;
    boolean anyChangeWanted = false;
    while (x != tail && evCall[x]) {
      int op = evOp[x];
      if (readLike(op) && step(state, op) >= 0) {
        return new int[] {op};
      }
      if (kind[op] == READ || kind[op] == CAS) {
        wantedStamp[argA[op]] = stamp;
      } else if (kind[op] == CAS_MISS) {
        anyChangeWanted = true;
      }
      count++;
      x = next[x];
    }
    if (x == tail) {
      return null;
    }
    noteProgress(x, state, depth, path);
    // the value before the UNKNOWN operation just taken, or -1
    int beforeUnknown = depth > 0 && unknown[path[depth - 1]] ? statesBefore[depth - 1] : -1;
    int forced = evOp[x];
    int[] order = new int[count];
    int i = 0;
    if (worthTrying(forced, state, beforeUnknown)) {
      order[i++] = forced;
    }
    for (int y = next[0]; y != x; y = next[y]) {
      int op = evOp[y];
      if (op == forced || !worthTrying(op, state, beforeUnknown)) {
        continue;
      }
      if (unknown[op]) {
        int after = step(state, op);
        boolean enables = after >= 0 && after != state && (anyChangeWanted || wantedStamp[after] == stamp);
        if (!enables || effectStamp[effect[op]] == stamp) {
          continue;
        }
        effectStamp[effect[op]] = stamp;
      }
      order[i++] = op;
    }
    return i == count ? order : Arrays.copyOf(order, i);
  }

  /**
   * Prunes a move after an UNKNOWN operation that would have gone the same way without it (a write hides it):
   * leaving the UNKNOWN operation out keeps strictly more options.
   */
  private boolean worthTrying(int op, int state, int beforeUnknown) {
    return beforeUnknown < 0 || step(beforeUnknown, op) < 0 || step(beforeUnknown, op) != step(state, op);
  }

  /**
   * Numbers what each UNKNOWN operation would do. Two pending UNKNOWN operations with the same effect are
   * interchangeable (neither has a return to meet), so only one of them is tried.
   */
  private void numberEffects() {
    Map<Long, Integer> classes = new HashMap<>();
    effect = new int[ops.size()];
    for (int i = 0; i < ops.size(); i++) {
      long signature = ((long) kind[i] << 62) | ((long) argA[i] << 31) | argB[i];
      effect[i] = classes.computeIfAbsent(signature, k -> classes.size());
    }
    effectStamp = new int[classes.size()];
    wantedStamp = new int[values.size()];
  }

  private void noteProgress(int returnPos, int state, int depth, int[] path) {
    if (returnPos > bestReturn) {
      bestReturn = returnPos;
      bestStates.clear();
      bestLinearized = depth;
      bestPrefix = explainingPrefix(path, depth);
    }
    if (returnPos == bestReturn && bestStates.size() < 16 && !bestStates.contains(state)) {
      bestStates.add(state);
    }
  }

  /** The last few linearized operations, always including the last one that set the register. */
  private int[] explainingPrefix(int[] path, int depth) {
    int from = Math.max(0, depth - WINDOW_PREFIX);
    int lastSet = depth - 1;
    while (lastSet >= 0 && readLike(path[lastSet])) {
      lastSet--;
    }
    int[] prefix = Arrays.copyOfRange(path, from, depth);
    if (lastSet >= 0 && lastSet < from) {
      int[] withSetter = new int[prefix.length + 1];
      withSetter[0] = path[lastSet];
      System.arraycopy(prefix, 0, withSetter, 1, prefix.length);
      return withSetter;
    }
    return prefix;
  }

  private boolean readLike(int op) {
    return kind[op] == READ || kind[op] == CAS_MISS;
  }

  /** The register after the operation, or -1 when the operation cannot happen in this state. */
  private int step(int state, int op) {
    return switch (kind[op]) {
      case READ -> state == argA[op] ? state : -1;
      case WRITE -> argA[op];
      case CAS -> state == argA[op] ? argB[op] : -1;
      default -> state != argA[op] ? state : -1;
    };
  }

  private void lift(int op) {
    unlink(callPos[op]);
    if (retPos[op] > 0) {
      unlink(retPos[op]);
    }
  }

  private void unlift(int op) {
    if (retPos[op] > 0) {
      relink(retPos[op]);
    }
    relink(callPos[op]);
  }

  private void unlink(int x) {
    next[prev[x]] = next[x];
    prev[next[x]] = prev[x];
  }

  private void relink(int x) {
    next[prev[x]] = x;
    prev[next[x]] = x;
  }

  private void encodeOps() {
    int n = ops.size();
    kind = new int[n];
    argA = new int[n];
    argB = new int[n];
    unknown = new boolean[n];
    for (int i = 0; i < n; i++) {
      CompletedOp op = ops.get(i);
      unknown[i] = op.outcome() == Outcome.UNKNOWN;
      switch (op.type()) {
        case READ -> {
          kind[i] = READ;
          argA[i] = intern(op.answer());
        }
        case WRITE -> {
          kind[i] = WRITE;
          argA[i] = intern(op.argument());
        }
        default -> {
          Object[] expectedAndNew = casArgument(op);
          kind[i] = op.casMismatch() ? CAS_MISS : CAS;
          argA[i] = intern(expectedAndNew[0]);
          argB[i] = intern(expectedAndNew[1]);
        }
      }
    }
  }

  private static Object[] casArgument(CompletedOp op) {
    Object a = op.argument();
    if (a instanceof long[] l && l.length == 2) {
      return new Object[] {l[0], l[1]};
    }
    if (a instanceof List<?> l && l.size() == 2) {
      return new Object[] {l.get(0), l.get(1)};
    }
    throw new IllegalArgumentException("CAS " + op.describe() + " needs long[]{expected, new} as its value");
  }

  private int intern(Object value) {
    Object v = value instanceof Number number ? (Object) number.longValue() : value;
    return valueIds.computeIfAbsent(v, k -> {
      values.add(k);
      return values.size() - 1;
    });
  }

  private void buildEventList() {
    TreeMap<Long, int[]> events = new TreeMap<>();
    for (int i = 0; i < ops.size(); i++) {
      events.put(ops.get(i).invokeIndex(), new int[] {i, 1});
      if (ops.get(i).outcome() != Outcome.UNKNOWN) {
        events.put(ops.get(i).completeIndex(), new int[] {i, 0});
      }
    }
    int size = events.size();
    tail = size + 1;
    evOp = new int[size + 2];
    evCall = new boolean[size + 2];
    next = new int[size + 2];
    prev = new int[size + 2];
    callPos = new int[ops.size()];
    retPos = new int[ops.size()];
    int pos = 1;
    for (int[] e : events.values()) {
      evOp[pos] = e[0];
      evCall[pos] = e[1] == 1;
      if (evCall[pos]) {
        callPos[e[0]] = pos;
      } else {
        retPos[e[0]] = pos;
      }
      pos++;
    }
    for (int i = 0; i <= tail; i++) {
      next[i] = Math.min(i + 1, tail);
      prev[i] = Math.max(i - 1, 0);
    }
  }

  private CheckResult valid() {
    return CheckResult.pass("key " + key + ": " + ops.size() + " operations linearizable");
  }

  private CheckResult tooComplex(String why, long steps, VisitedConfigurations visited) {
    return CheckResult.unknown("key " + key + ": too complex to decide (" + why + " after " + steps
        + " steps, " + visited.size() + " configurations, " + ops.size() + " operations); not a pass");
  }

  /**
   * A cheap necessary condition checked before the search: every value read (or expected by a successful CAS)
   * other than absent was written by an operation invoked before the reader returned. The earliest reader
   * that breaks it is a violation whatever the order.
   */
  private CheckResult valueNobodyWrote() {
    long[] firstWriter = new long[values.size()];
    Arrays.fill(firstWriter, Long.MAX_VALUE);
    for (int i = 0; i < ops.size(); i++) {
      if (kind[i] == WRITE || kind[i] == CAS) {
        int v = kind[i] == WRITE ? argA[i] : argB[i];
        firstWriter[v] = Math.min(firstWriter[v], ops.get(i).invokeIndex());
      }
    }
    int worst = -1;
    for (int i = 0; i < ops.size(); i++) {
      boolean observes = kind[i] == READ || kind[i] == CAS && !unknown[i];
      if (observes && argA[i] != 0 && firstWriter[argA[i]] > ops.get(i).completeIndex()
          && (worst < 0 || ops.get(i).completeIndex() < ops.get(worst).completeIndex())) {
        worst = i;
      }
    }
    if (worst < 0) {
      return null;
    }
    Set<Integer> shown = withConcurrent(worst, new int[0]);
    return CheckResult.violation("key " + key + ": not linearizable; no order explains "
        + ops.get(worst).describe() + ": no write of " + values.get(argA[worst]) + " was invoked before it "
        + "returned; window of " + shown.size() + " operations", events(shown));
  }

  private CheckResult violation() {
    if (bestReturn < 0) {
      return CheckResult.violation("key " + key + ": not linearizable", List.of());
    }
    int failing = evOp[bestReturn];
    Set<Integer> shown = withConcurrent(failing, bestPrefix);
    List<String> could = new ArrayList<>();
    for (int s : bestStates) {
      could.add(values.get(s) == null ? "absent" : String.valueOf(values.get(s)));
    }
    String explanation = "key " + key + ": not linearizable; no order explains " + ops.get(failing).describe()
        + ": after " + bestLinearized + " of " + ops.size() + " operations the register could only hold "
        + could + "; window of " + shown.size() + " operations";
    return CheckResult.violation(explanation, events(shown));
  }

  /**
   * The failing operation, the linearized operations that led to it, and the operations concurrent with it.
   * Old UNKNOWN operations are concurrent with everything after them; only those invoked since the window
   * began are shown.
   */
  private Set<Integer> withConcurrent(int failing, int[] prefix) {
    CompletedOp f = ops.get(failing);
    long from = f.invokeIndex();
    Set<Integer> shown = new LinkedHashSet<>();
    for (int p : prefix) {
      shown.add(p);
      from = Math.min(from, ops.get(p).invokeIndex());
    }
    shown.add(failing);
    for (int i = 0; i < ops.size(); i++) {
      CompletedOp o = ops.get(i);
      boolean concurrent = o.invokeIndex() < f.completeIndex() && o.completeIndex() > f.invokeIndex();
      if (concurrent && (!unknown[i] || o.invokeIndex() >= from)) {
        shown.add(i);
      }
    }
    return shown;
  }

  private List<Op> events(Set<Integer> shown) {
    List<Op> window = new ArrayList<>();
    for (int i : shown) {
      window.add(ops.get(i).invoke());
      if (ops.get(i).completion() != null) {
        window.add(ops.get(i).completion());
      }
    }
    window.sort(Comparator.comparingLong(Op::index));
    return window;
  }
}
