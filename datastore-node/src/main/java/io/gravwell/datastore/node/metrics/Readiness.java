package io.gravwell.datastore.node.metrics;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The answer of /health/ready. Ready means this node knows a leader and has applied everything it knows to
 * be committed, so a linearizable or at-least read here is answered without waiting on catch-up. The facts
 * travel in the body so that an operator sees why a node is not ready without another tool.
 */
public record Readiness(boolean ready, String nodeId, String role, long term, String leaderId, long commitIndex,
    long appliedIndex, List<String> reasons) {

  public static Readiness of(String nodeId, String role, long term, String leaderId, long commitIndex,
      long appliedIndex) {
    List<String> reasons = new java.util.ArrayList<>();
    if (leaderId == null || leaderId.isEmpty()) {
      reasons.add("no known leader");
    }
    if (appliedIndex < commitIndex) {
      reasons.add("applied index " + appliedIndex + " is behind commit index " + commitIndex);
    }
    return new Readiness(reasons.isEmpty(), nodeId, role, term, leaderId == null ? "" : leaderId, commitIndex,
        appliedIndex, List.copyOf(reasons));
  }

  public static Readiness unavailable(String nodeId, String why) {
    return new Readiness(false, nodeId, "UNKNOWN", -1, "", -1, -1, List.of(why));
  }

  public String toJson() {
    return "{\"ready\":" + ready
        + ",\"nodeId\":" + quote(nodeId)
        + ",\"role\":" + quote(role)
        + ",\"term\":" + term
        + ",\"leaderId\":" + quote(leaderId)
        + ",\"commitIndex\":" + commitIndex
        + ",\"appliedIndex\":" + appliedIndex
        + ",\"reasons\":" + reasons.stream().map(Readiness::quote).collect(Collectors.joining(",", "[", "]"))
        + "}\n";
  }

  private static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c < 0x20) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.append('"').toString();
  }
}
