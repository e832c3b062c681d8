package io.gravwell.datastore.chaos.history;

import java.util.List;

/**
 * A checker's verdict.
 *
 * @param verdict valid, invalid, or unknown (too complex to decide within the budget)
 * @param explanation for humans; on a violation it names the key and the operation that could not be explained
 * @param window the history events (invokes and completions, index order) around the violation; empty otherwise
 */
public record CheckResult(Verdict verdict, String explanation, List<Op> window) {

  public CheckResult {
    window = List.copyOf(window);
  }

  /** A decided verdict: valid or invalid. */
  public CheckResult(boolean valid, String explanation, List<Op> window) {
    this(valid ? Verdict.VALID : Verdict.INVALID, explanation, window);
  }

  public static CheckResult pass(String explanation) {
    return new CheckResult(Verdict.VALID, explanation, List.of());
  }

  public static CheckResult violation(String explanation, List<Op> window) {
    return new CheckResult(Verdict.INVALID, explanation, window);
  }

  public static CheckResult unknown(String explanation) {
    return new CheckResult(Verdict.UNKNOWN, explanation, List.of());
  }

  /** True only for a proven pass; an unknown verdict is not valid. */
  public boolean valid() {
    return verdict == Verdict.VALID;
  }
}
