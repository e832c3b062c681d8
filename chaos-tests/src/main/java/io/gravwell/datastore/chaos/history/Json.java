package io.gravwell.datastore.chaos.history;

import java.util.Collection;
import java.util.Iterator;
import java.util.Map;

/** Just enough JSON output for the run reports: maps, collections, arrays, strings, numbers, booleans. */
final class Json {

  private Json() {
  }

  static String of(Object value) {
    StringBuilder b = new StringBuilder();
    write(b, value);
    return b.toString();
  }

  static void write(StringBuilder b, Object value) {
    if (value == null) {
      b.append("null");
    } else if (value instanceof CharSequence || value instanceof Character) {
      string(b, value.toString());
    } else if (value instanceof Double d && !Double.isFinite(d) || value instanceof Float f && !Float.isFinite(f)) {
      b.append("null");
    } else if (value instanceof Number || value instanceof Boolean) {
      b.append(value);
    } else if (value instanceof Enum<?> e) {
      string(b, e.name());
    } else if (value instanceof Map<?, ?> map) {
      b.append('{');
      Iterator<? extends Map.Entry<?, ?>> it = map.entrySet().iterator();
      while (it.hasNext()) {
        Map.Entry<?, ?> e = it.next();
        string(b, String.valueOf(e.getKey()));
        b.append(':');
        write(b, e.getValue());
        if (it.hasNext()) {
          b.append(',');
        }
      }
      b.append('}');
    } else if (value instanceof Collection<?> c) {
      array(b, c.toArray());
    } else if (value instanceof long[] longs) {
      array(b, java.util.Arrays.stream(longs).boxed().toArray());
    } else if (value instanceof int[] ints) {
      array(b, java.util.Arrays.stream(ints).boxed().toArray());
    } else if (value instanceof Object[] objects) {
      array(b, objects);
    } else {
      string(b, value.toString());
    }
  }

  private static void array(StringBuilder b, Object[] items) {
    b.append('[');
    for (int i = 0; i < items.length; i++) {
      if (i > 0) {
        b.append(',');
      }
      write(b, items[i]);
    }
    b.append(']');
  }

  private static void string(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20 || c == '\u2028' || c == '\u2029') {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }
}
