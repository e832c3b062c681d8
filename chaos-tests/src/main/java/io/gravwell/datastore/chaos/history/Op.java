package io.gravwell.datastore.chaos.history;

import java.util.Arrays;

/**
 * One history entry: a call ({@link Outcome#INVOKE}) or its completion. An invoke and its completion share the
 * process; a process has at most one operation outstanding, so they pair up by process as in Jepsen.
 *
 * @param index position in the history; the order of indices is the real-time order of events
 * @param process the client that made the call
 * @param type what the operation does
 * @param key the register, set or object the operation is about
 * @param value see {@link OpType}: the argument on an invoke, the answer on a completion
 * @param outcome call, or how it ended
 * @param time nanoseconds on the recording clock
 * @param error the reason of a FAIL or UNKNOWN, else null
 */
public record Op(long index, int process, OpType type, String key, Object value, Outcome outcome, long time,
    String error) {

  /** One line for humans: {@code #12 p3 ok CAS k1 [1, 2] (mismatch)}. */
  public String describe() {
    StringBuilder b = new StringBuilder()
        .append('#').append(index).append(" p").append(process).append(' ')
        .append(outcome.name().toLowerCase()).append(' ').append(type).append(' ').append(key);
    if (value != null || outcome == Outcome.OK && type == OpType.READ) {
      b.append(' ').append(render(value));
    }
    if (error != null) {
      b.append(" (").append(oneLine(error)).append(')');
    }
    return b.toString();
  }

  /** A reason on one line, so that summaries stay one event per line. */
  static String oneLine(String text) {
    return text.replaceAll("\\s*\\R\\s*", " ");
  }

  static String render(Object value) {
    if (value instanceof long[] longs) {
      return Arrays.toString(longs);
    }
    return String.valueOf(value);
  }
}
