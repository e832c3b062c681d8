package io.gravwell.datastore.chaos.history;

import java.util.List;
import java.util.SortedSet;

/**
 * What the set checker found in the final read.
 *
 * @param lost acknowledged adds missing from the final read
 * @param duplicated elements the final read holds more than once
 * @param unexpected elements in the final read that nobody tried to add
 * @param okCount acknowledged adds present
 * @param recoveredCount adds with an unknown (or failed) outcome that are present after all
 * @param notAppliedCount adds with an unknown (or failed) outcome that are absent, which is allowed
 * @param valid nothing lost, duplicated or unexpected
 */
public record SetResult(SortedSet<Long> lost, SortedSet<Long> duplicated, SortedSet<Long> unexpected,
    int okCount, int recoveredCount, int notAppliedCount, boolean valid) {

  public SetResult {
    lost = java.util.Collections.unmodifiableSortedSet(lost);
    duplicated = java.util.Collections.unmodifiableSortedSet(duplicated);
    unexpected = java.util.Collections.unmodifiableSortedSet(unexpected);
  }

  public String explanation() {
    return (valid ? "valid: " : "INVALID: ") + okCount + " acknowledged adds present, " + lost.size() + " lost "
        + sample(lost) + ", " + duplicated.size() + " duplicated " + sample(duplicated) + ", "
        + unexpected.size() + " unexpected " + sample(unexpected) + "; of the unacknowledged adds "
        + recoveredCount + " present and " + notAppliedCount + " absent";
  }

  /** As a verdict for the run report. */
  public CheckResult toCheckResult() {
    return new CheckResult(valid, explanation(), List.of());
  }

  private static String sample(SortedSet<Long> elements) {
    return elements.size() <= 10 ? elements.toString() : elements.stream().limit(10).toList() + "...";
  }
}
