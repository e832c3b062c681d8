package io.gravwell.datastore.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Puts the two systems' figures from one run next to each other: per (op, C) the throughput and latency
 * of each and their ratio (ours / etcd), the failover gaps per round with median and worst, and the
 * verdict on each target of the performance issue. Pure: rows in, rows out.
 */
final class SideBySide {

  static final String OURS = "datastore";
  static final String ETCD = "etcd";

  /** One (op, C) level measured on both systems; null where a system has no figure. */
  record Level(String op, int clients, Map<String, String> ours, Map<String, String> etcd) {

    double ours(String field) {
      return number(ours, field);
    }

    double etcd(String field) {
      return number(etcd, field);
    }

    /** ours / etcd; NaN when either is missing or etcd's is zero. */
    double ratio(String field) {
      double e = etcd(field);
      return e == 0 ? Double.NaN : ours(field) / e;
    }
  }

  /** Median and worst of the longest-gap figures of one system's failover rounds. */
  record Failover(double[] gapsMs) {

    double median() {
      if (gapsMs.length == 0) {
        return Double.NaN;
      }
      double[] s = gapsMs.clone();
      Arrays.sort(s);
      int n = s.length;
      return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    double worst() {
      return Arrays.stream(gapsMs).max().orElse(Double.NaN);
    }
  }

  record Verdict(String target, String measured, boolean met) {
  }

  private SideBySide() {
  }

  /** Pairs the load generator's result rows (JSON-line fields) by op and C; the last row of a pair wins. */
  static List<Level> levels(List<Map<String, String>> rows) {
    Map<String, Map<String, Map<String, String>>> byLevel = new TreeMap<>();
    for (Map<String, String> r : rows) {
      String key = r.get("op") + String.format(Locale.ROOT, "/%06d", Integer.parseInt(r.get("clients")));
      byLevel.computeIfAbsent(key, k -> new LinkedHashMap<>()).put(r.get("target"), r);
    }
    List<Level> out = new ArrayList<>();
    for (Map<String, Map<String, String>> pair : byLevel.values()) {
      Map<String, String> any = pair.values().iterator().next();
      out.add(new Level(any.get("op"), Integer.parseInt(any.get("clients")), pair.get(OURS), pair.get(ETCD)));
    }
    // put before get, then by C
    out.sort((a, b) -> a.op().equals(b.op()) ? Integer.compare(a.clients(), b.clients())
        : b.op().compareTo(a.op()));
    return out;
  }

  static Failover failover(List<Map<String, String>> rounds, String system) {
    return new Failover(rounds.stream().filter(r -> system.equals(r.get("target")))
        .mapToDouble(r -> Double.parseDouble(r.get("longest_gap_ms"))).toArray());
  }

  /** The targets on this machine, each judged from the same run. */
  static List<Verdict> verdicts(List<Level> levels, Failover ours, Failover etcd) {
    List<Verdict> v = new ArrayList<>();
    Level put64 = find(levels, "put", 64);
    Level put1 = find(levels, "put", 1);
    Level get64 = find(levels, "get", 64);
    if (put64 != null) {
      double r = put64.ratio("ops_per_s");
      v.add(new Verdict("put throughput at C=64 >= 1.5x etcd's",
          fmt("%.0f vs %.0f ops/s = %.2fx", put64.ours("ops_per_s"), put64.etcd("ops_per_s"), r), r >= 1.5));
      v.add(new Verdict("put p99 at C=64 <= etcd's",
          fmt("%.1f vs %.1f ms", put64.ours("p99_us") / 1000, put64.etcd("p99_us") / 1000),
          put64.ours("p99_us") <= put64.etcd("p99_us")));
    }
    if (put1 != null) {
      v.add(new Verdict("put p50 at C=1 <= etcd's",
          fmt("%.2f vs %.2f ms", put1.ours("p50_us") / 1000, put1.etcd("p50_us") / 1000),
          put1.ours("p50_us") <= put1.etcd("p50_us")));
    }
    if (get64 != null) {
      double r = get64.ratio("ops_per_s");
      v.add(new Verdict("linearizable get throughput at C=64 >= 2x etcd's",
          fmt("%.0f vs %.0f ops/s = %.2fx", get64.ours("ops_per_s"), get64.etcd("ops_per_s"), r), r >= 2));
    }
    if (ours.gapsMs().length > 0 && etcd.gapsMs().length > 0) {
      double r = ours.median() / etcd.median();
      v.add(new Verdict("failover: median longest gap <= 0.5x etcd's",
          fmt("%.0f vs %.0f ms = %.2fx", ours.median(), etcd.median(), r), r <= 0.5));
      v.add(new Verdict("failover: worst longest gap <= 1.5 s",
          fmt("%.0f ms (etcd: %.0f ms)", ours.worst(), etcd.worst()), ours.worst() <= 1500));
    }
    return v;
  }

  private static Level find(List<Level> levels, String op, int c) {
    return levels.stream().filter(l -> l.op().equals(op) && l.clients() == c && l.ours() != null && l.etcd() != null)
        .findFirst().orElse(null);
  }

  private static double number(Map<String, String> row, String field) {
    if (row == null || row.get(field) == null) {
      return Double.NaN;
    }
    return Double.parseDouble(row.get(field));
  }

  static String fmt(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }

  /**
   * Parses one flat JSON object as the benchmarks write it (string, number and boolean values, no nesting)
   * into field name → text.
   */
  static Map<String, String> parseFlatJson(String line) {
    Map<String, String> m = new LinkedHashMap<>();
    String s = line.strip();
    if (!s.startsWith("{") || !s.endsWith("}")) {
      throw new IllegalArgumentException("not a JSON object: " + line);
    }
    int i = 1;
    int end = s.length() - 1;
    while (i < end) {
      i = skipSpace(s, i);
      if (s.charAt(i) == ',') {
        i++;
        continue;
      }
      if (s.charAt(i) == '}') {
        break;
      }
      StringBuilder name = new StringBuilder();
      i = readString(s, i, name);
      i = skipSpace(s, i);
      if (s.charAt(i) != ':') {
        throw new IllegalArgumentException("expected ':' at " + i + " in " + line);
      }
      i = skipSpace(s, i + 1);
      StringBuilder value = new StringBuilder();
      if (s.charAt(i) == '"') {
        i = readString(s, i, value);
      } else {
        while (i < end && s.charAt(i) != ',') {
          value.append(s.charAt(i++));
        }
      }
      m.put(name.toString(), value.toString().strip());
    }
    return m;
  }

  private static int skipSpace(String s, int i) {
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
    return i;
  }

  private static int readString(String s, int i, StringBuilder into) {
    if (s.charAt(i) != '"') {
      throw new IllegalArgumentException("expected '\"' at " + i + " in " + s);
    }
    i++;
    while (s.charAt(i) != '"') {
      char c = s.charAt(i++);
      if (c == '\\') {
        c = s.charAt(i++);
      }
      into.append(c);
    }
    return i + 1;
  }
}
