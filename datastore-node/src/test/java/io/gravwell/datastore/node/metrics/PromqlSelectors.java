package io.gravwell.datastore.node.metrics;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The vector selectors ({@code name{matchers}}) inside a PromQL expression. An alert's full expression
 * returns nothing while all is well, so the end-to-end test proves instead that every series it reads
 * exists. A small scanner, not a parser: good for the expressions in our own rules.
 */
public final class PromqlSelectors {
  private static final Pattern GROUPING =
      Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
  private static final Pattern RANGE = Pattern.compile("\\[[^\\]]*\\]");
  // "offset 15m": the duration would otherwise read as a selector named "m".
  private static final Pattern OFFSET = Pattern.compile("\\boffset\\s+-?[0-9a-zA-Z]+");
  private static final Pattern SELECTOR =
      Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*(\\{[^}]*\\})?(\\s*\\()?");
  private static final Set<String> KEYWORDS =
      Set.of("and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring", "group_left",
          "group_right", "inf", "nan");

  private PromqlSelectors() {}

  public static Set<String> of(String expr) {
    String s = GROUPING.matcher(expr).replaceAll(" ");
    s = RANGE.matcher(s).replaceAll(" ");
    s = OFFSET.matcher(s).replaceAll(" ");
    Set<String> out = new LinkedHashSet<>();
    Matcher m = SELECTOR.matcher(s);
    while (m.find()) {
      boolean function = m.group(3) != null && m.group(2) == null;
      if (function || KEYWORDS.contains(m.group(1).toLowerCase(java.util.Locale.ROOT))) {
        continue;
      }
      out.add(m.group(1) + (m.group(2) == null ? "" : m.group(2)));
    }
    return out;
  }

  public static String metricName(String selector) {
    int brace = selector.indexOf('{');
    return brace < 0 ? selector : selector.substring(0, brace);
  }
}
