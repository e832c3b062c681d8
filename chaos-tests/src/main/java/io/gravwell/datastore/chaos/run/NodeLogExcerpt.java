package io.gravwell.datastore.chaos.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The last warnings, errors and Raft role changes of every node of a failed run, for its summary. A run on
 * a CI machine leaves only its printed summary behind, and a consensus failure is usually told by these
 * few lines (who led, who refused what, which division closed).
 */
final class NodeLogExcerpt {
  static final int LINES_PER_NODE = 12;
  private static final int MAX_LINE = 240;
  // Log lines only (they start with their date): a stack trace's frames would crowd the lines out.
  private static final Pattern TELLING = Pattern.compile(
      "^\\d.*( (WARN|ERROR) |changes role|shutdown|CLOSED|INCONSISTENCY|[Ss]napshot)");

  private NodeLogExcerpt() {
  }

  /** One block per node directory under {@code nodes} that has a node.log; empty when there is none. */
  static String of(Path nodes) {
    if (!Files.isDirectory(nodes)) {
      return "";
    }
    StringBuilder b = new StringBuilder();
    try (Stream<Path> dirs = Files.list(nodes)) {
      for (Path d : dirs.sorted().toList()) {
        Path log = d.resolve("node.log");
        if (Files.isRegularFile(log)) {
          b.append("\nlast telling lines of ").append(d.getFileName()).append("'s node.log:\n");
          tail(Files.readAllLines(log, StandardCharsets.UTF_8)).forEach(l -> b.append("  ").append(l).append('\n'));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return b.toString();
  }

  /**
   * The last {@link #LINES_PER_NODE} telling lines, shortened; a line that repeats the previous one's
   * message (a retry loop) is counted, not repeated, so one loop does not push everything else out.
   */
  static List<String> tail(List<String> lines) {
    Deque<String> kept = new ArrayDeque<>();
    String lastMessage = null;
    int repeats = 0;
    for (String line : lines) {
      if (!TELLING.matcher(line).find()) {
        continue;
      }
      String message = messageOf(line);
      if (message.equals(lastMessage)) {
        repeats++;
        kept.removeLast();
        kept.addLast(shorten(line) + " (x" + (repeats + 1) + ")");
        continue;
      }
      lastMessage = message;
      repeats = 0;
      kept.addLast(shorten(line));
      if (kept.size() > LINES_PER_NODE) {
        kept.removeFirst();
      }
    }
    return List.copyOf(kept);
  }

  /** The line without its timestamp and thread, which differ between otherwise equal lines. */
  private static String messageOf(String line) {
    int dash = line.indexOf(" - ");
    return dash < 0 ? line : line.substring(dash);
  }

  private static String shorten(String line) {
    return line.length() <= MAX_LINE ? line : line.substring(0, MAX_LINE) + "...";
  }
}
