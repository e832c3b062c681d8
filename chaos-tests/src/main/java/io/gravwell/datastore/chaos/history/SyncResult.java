package io.gravwell.datastore.chaos.history;

import java.util.ArrayList;
import java.util.List;

/**
 * What the sync checker found; every list holds one human-readable line per problem.
 *
 * @param divergent objects on which the webservers' final contents differ
 * @param lost objects a webserver lacks although it was never told they were deleted, and deletes it was told
 *     about that nobody made
 * @param identity re-seeds without an identity change, and identity changes without a re-seed
 */
public record SyncResult(List<String> divergent, List<String> lost, List<String> identity) {

  public SyncResult {
    divergent = List.copyOf(divergent);
    lost = List.copyOf(lost);
    identity = List.copyOf(identity);
  }

  public boolean converged() {
    return divergent.isEmpty();
  }

  public boolean valid() {
    return divergent.isEmpty() && lost.isEmpty() && identity.isEmpty();
  }

  public String explanation() {
    if (valid()) {
      return "valid: webservers converged, nothing lost, re-seeds exactly at identity changes";
    }
    List<String> parts = new ArrayList<>();
    section(parts, "diverged", divergent);
    section(parts, "lost", lost);
    section(parts, "identity", identity);
    return "INVALID: " + String.join("; ", parts);
  }

  public CheckResult toCheckResult() {
    return new CheckResult(valid(), explanation(), List.of());
  }

  private static void section(List<String> parts, String name, List<String> problems) {
    if (!problems.isEmpty()) {
      List<String> shown = problems.size() <= 10 ? problems : problems.subList(0, 10);
      parts.add(problems.size() + " " + name + " (" + String.join(", ", shown)
          + (problems.size() > shown.size() ? ", ..." : "") + ")");
    }
  }
}
