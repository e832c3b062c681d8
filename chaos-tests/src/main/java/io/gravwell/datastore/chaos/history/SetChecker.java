package io.gravwell.datastore.chaos.history;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks a grow-only set against its final read: every acknowledged add is present exactly once, and nothing
 * is present that nobody tried to add. An add whose outcome is unknown may be present or absent.
 */
public final class SetChecker {

  private SetChecker() {
  }

  /**
   * @param acked elements whose add was acknowledged (OK)
   * @param attempted every element an add was invoked for, acknowledged or not
   * @param finalRead the set's contents read after the run healed, with any repetitions the store returned
   */
  public static SetResult check(Set<Long> acked, Set<Long> attempted, List<Long> finalRead) {
    Set<Long> seen = new HashSet<>();
    TreeSet<Long> duplicated = new TreeSet<>();
    for (Long e : finalRead) {
      if (!seen.add(e)) {
        duplicated.add(e);
      }
    }
    TreeSet<Long> lost = new TreeSet<>(acked);
    lost.removeAll(seen);
    TreeSet<Long> unexpected = new TreeSet<>(seen);
    unexpected.removeAll(attempted);
    unexpected.removeAll(acked);
    int ok = acked.size() - lost.size();
    int recovered = 0;
    int notApplied = 0;
    for (Long e : attempted) {
      if (!acked.contains(e)) {
        if (seen.contains(e)) {
          recovered++;
        } else {
          notApplied++;
        }
      }
    }
    boolean valid = lost.isEmpty() && duplicated.isEmpty() && unexpected.isEmpty();
    return new SetResult(lost, duplicated, unexpected, ok, recovered, notApplied, valid);
  }

  /**
   * The same from a history of ADD operations (the value is the element) on one set key and the final read.
   * A FAIL claims the add never happened, so an element whose every add failed counts as unexpected if read.
   */
  public static SetResult check(List<Op> history, String key, List<Long> finalRead) {
    Set<Long> acked = new HashSet<>();
    Set<Long> attempted = new HashSet<>();
    for (CompletedOp op : History.complete(history)) {
      if (op.type() == OpType.ADD && key.equals(op.key())) {
        long element = ((Number) op.argument()).longValue();
        if (op.outcome() != Outcome.FAIL) {
          attempted.add(element);
        }
        if (op.outcome() == Outcome.OK) {
          acked.add(element);
        }
      }
    }
    return check(acked, attempted, finalRead);
  }
}
