package io.gravwell.datastore.chaos.history;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes what a run did and what the checkers concluded into {@code <dir>/<runName>/}:
 * <ul>
 *   <li>{@code history.jsonl}: one operation event per line (index, process, type, key, value, outcome, time,
 *       error);
 *   <li>{@code timeline.jsonl}: one nemesis event per line (time, nemesis, action, detail);
 *   <li>{@code verdict.json}: run, seed, overall verdict, and per checker its verdict, explanation and the
 *       indices of its window;
 *   <li>{@code summary.txt}: the same for humans, with each failing checker's window of history.
 * </ul>
 * Times in the summary are seconds since the run's first event.
 */
public final class RunReport {

  private RunReport() {
  }

  /**
   * Writes the report and returns the run's directory.
   *
   * @throws UncheckedIOException naming the directory when it cannot be written
   */
  public static Path write(Path dir, String runName, long seed, List<Op> history, List<NemesisEvent> timeline,
      Map<String, CheckResult> verdicts) {
    Path runDir = dir.resolve(runName);
    try {
      writeFiles(runDir, runName, seed, history, timeline, verdicts);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the run report to " + runDir.toAbsolutePath()
          + "; check that the directory is writable and the disk not full", e);
    }
    return runDir;
  }

  private static void writeFiles(Path runDir, String runName, long seed, List<Op> history,
      List<NemesisEvent> timeline, Map<String, CheckResult> verdicts) throws IOException {
    Files.createDirectories(runDir);
    try (Writer w = Files.newBufferedWriter(runDir.resolve("history.jsonl"), StandardCharsets.UTF_8)) {
      for (Op op : history) {
        w.write(Json.of(json(op)));
        w.write('\n');
      }
    }
    try (Writer w = Files.newBufferedWriter(runDir.resolve("timeline.jsonl"), StandardCharsets.UTF_8)) {
      for (NemesisEvent e : timeline) {
        w.write(Json.of(json(e)));
        w.write('\n');
      }
    }
    Files.writeString(runDir.resolve("verdict.json"), Json.of(verdictJson(runName, seed, history, timeline,
        verdicts)) + "\n", StandardCharsets.UTF_8);
    Files.writeString(runDir.resolve("summary.txt"), summary(runName, seed, history, timeline, verdicts),
        StandardCharsets.UTF_8);
  }

  /** The whole run's verdict: invalid if any checker found a violation, unknown if any could not decide. */
  public static Verdict overall(Map<String, CheckResult> verdicts) {
    if (verdicts.isEmpty()) {
      return Verdict.UNKNOWN;
    }
    if (verdicts.values().stream().anyMatch(r -> r.verdict() == Verdict.INVALID)) {
      return Verdict.INVALID;
    }
    return verdicts.values().stream().allMatch(CheckResult::valid) ? Verdict.VALID : Verdict.UNKNOWN;
  }

  /** The human-readable summary: seed, nemesis timeline, verdict per checker, failing windows. */
  public static String summary(String runName, long seed, List<Op> history, List<NemesisEvent> timeline,
      Map<String, CheckResult> verdicts) {
    long origin = origin(history, timeline);
    StringBuilder b = new StringBuilder();
    b.append("run:     ").append(runName).append('\n');
    b.append("seed:    ").append(seed).append('\n');
    b.append("result:  ").append(overall(verdicts)).append(verdicts.isEmpty() ? " (no checker ran)" : "")
        .append('\n');
    b.append("history: ").append(outcomeCounts(history)).append('\n');
    b.append("\nnemesis timeline:\n");
    if (timeline.isEmpty()) {
      b.append("  (no faults)\n");
    }
    for (NemesisEvent e : timeline) {
      b.append("  ").append(seconds(e.time() - origin)).append("  ").append(e.nemesis()).append(' ')
          .append(e.action().name().toLowerCase(Locale.ROOT));
      if (e.detail() != null && !e.detail().isEmpty()) {
        b.append("  ").append(e.detail());
      }
      b.append('\n');
    }
    b.append("\nverdicts:\n");
    verdicts.forEach((name, r) -> b.append("  ").append(name).append(": ").append(r.verdict()).append("  ")
        .append(r.explanation()).append('\n'));
    verdicts.forEach((name, r) -> {
      if (!r.window().isEmpty()) {
        b.append("\nwindow of history around the violation (").append(name).append("):\n");
        for (Op op : r.window()) {
          b.append("  ").append(seconds(op.time() - origin)).append("  ").append(op.describe()).append('\n');
        }
      }
    });
    return b.toString();
  }

  private static long origin(List<Op> history, List<NemesisEvent> timeline) {
    long origin = Long.MAX_VALUE;
    for (Op op : history) {
      origin = Math.min(origin, op.time());
    }
    for (NemesisEvent e : timeline) {
      origin = Math.min(origin, e.time());
    }
    return origin == Long.MAX_VALUE ? 0 : origin;
  }

  private static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%+10.3fs", nanos / 1e9);
  }

  private static String outcomeCounts(List<Op> history) {
    Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
    history.forEach(op -> counts.merge(op.outcome(), 1, Integer::sum));
    List<String> parts = new ArrayList<>();
    counts.forEach((o, n) -> parts.add(n + " " + o.name().toLowerCase(Locale.ROOT)));
    return history.size() + " events" + (parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")");
  }

  private static Map<String, Object> json(Op op) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("index", op.index());
    m.put("process", op.process());
    m.put("type", op.type());
    m.put("key", op.key());
    m.put("value", op.value());
    m.put("outcome", op.outcome());
    m.put("time", op.time());
    m.put("error", op.error());
    return m;
  }

  private static Map<String, Object> json(NemesisEvent e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("time", e.time());
    m.put("nemesis", e.nemesis());
    m.put("action", e.action());
    m.put("detail", e.detail());
    return m;
  }

  private static Map<String, Object> verdictJson(String runName, long seed, List<Op> history,
      List<NemesisEvent> timeline, Map<String, CheckResult> verdicts) {
    Map<String, Object> checkers = new LinkedHashMap<>();
    verdicts.forEach((name, r) -> {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("verdict", r.verdict());
      c.put("valid", r.valid());
      c.put("explanation", r.explanation());
      c.put("window", r.window().stream().map(Op::index).toList());
      checkers.put(name, c);
    });
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("run", runName);
    m.put("seed", seed);
    m.put("verdict", overall(verdicts));
    m.put("valid", overall(verdicts) == Verdict.VALID);
    m.put("events", history.size());
    m.put("nemesisEvents", timeline.size());
    m.put("checkers", checkers);
    return m;
  }
}
