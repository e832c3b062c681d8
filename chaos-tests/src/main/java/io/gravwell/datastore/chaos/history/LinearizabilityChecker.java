package io.gravwell.datastore.chaos.history;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Checks that a history of reads, writes and compare-and-sets is linearizable, key by key, against a register
 * that starts absent (null). See {@link RegisterSearch} for the algorithm (Wing–Gong with Lowe's memo and
 * just-in-time linearization).
 *
 * <p>How outcomes count: OK operations happened within their interval; a FAIL never happened and is dropped,
 * except a CAS failed with {@link History#CAS_MISMATCH}, which happened as a read of a value other than the
 * expected one; an UNKNOWN write or CAS may have happened at any point after its invoke, or never; an UNKNOWN
 * read is dropped. Operations of other types (ADD, ...) are ignored.
 *
 * <p>A key whose search exceeds the budget (time or explored configurations) gets an UNKNOWN verdict, which is
 * reported and is not a pass.
 */
public final class LinearizabilityChecker {

  /** Search budget per key. */
  public static final Duration DEFAULT_BUDGET = Duration.ofSeconds(30);
  /** Memo bound per key: about 40 bytes each at the table's load factor. */
  public static final int DEFAULT_MAX_CONFIGURATIONS = 2_000_000;

  private LinearizabilityChecker() {
  }

  public static CheckResult check(List<Op> history) {
    return check(history, DEFAULT_BUDGET);
  }

  public static CheckResult check(List<Op> history, Duration budgetPerKey) {
    return check(history, budgetPerKey, DEFAULT_MAX_CONFIGURATIONS);
  }

  public static CheckResult check(List<Op> history, Duration budgetPerKey, int maxConfigurations) {
    Map<String, List<CompletedOp>> byKey = new TreeMap<>();
    for (CompletedOp op : History.complete(history)) {
      if (op.type().isRegisterOp()) {
        byKey.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
      }
    }
    CheckResult firstViolation = null;
    long firstViolationAt = Long.MAX_VALUE;
    List<String> violations = new ArrayList<>();
    List<String> undecided = new ArrayList<>();
    int operations = 0;
    for (Map.Entry<String, List<CompletedOp>> e : byKey.entrySet()) {
      RegisterSearch search = new RegisterSearch(e.getKey(), e.getValue());
      operations += search.operationCount();
      CheckResult r = search.run(System.nanoTime() + budgetPerKey.toNanos(), maxConfigurations);
      switch (r.verdict()) {
        case INVALID -> {
          violations.add(r.explanation());
          // report the window of the violation that happened first
          long at = r.window().isEmpty() ? Long.MAX_VALUE : r.window().get(r.window().size() - 1).index();
          if (firstViolation == null || at < firstViolationAt) {
            firstViolation = r;
            firstViolationAt = at;
          }
        }
        case UNKNOWN -> undecided.add(r.explanation());
        case VALID -> { }
      }
    }
    if (firstViolation != null) {
      List<String> lines = new ArrayList<>(violations);
      lines.addAll(undecided);
      return CheckResult.violation(violations.size() + " of " + byKey.size() + " keys not linearizable: "
          + String.join("; ", lines), firstViolation.window());
    }
    if (!undecided.isEmpty()) {
      return CheckResult.unknown(undecided.size() + " of " + byKey.size() + " keys undecided: "
          + String.join("; ", undecided));
    }
    return CheckResult.pass(byKey.size() + " keys, " + operations + " operations: linearizable");
  }
}
