package io.gravwell.datastore.node.metrics;

import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Turns a Ratis (Dropwizard) metric name into a Prometheus-style Micrometer name and tags.
 *
 * <p>Ratis names a metric {@code APP.COMPONENT.MEMBER.shortName}, where MEMBER is {@code peer@group-id} and
 * per-follower metrics carry the follower id inside shortName ({@code follower_n2_match_index},
 * {@code n2_lastHeartbeatElapsedTime}). The member is dropped (Prometheus' instance label already says which
 * node), a follower id becomes a {@code peer} tag, and camelCase becomes snake_case:
 * {@code ratis.log_appender.n1@group-X.follower_n2_match_index} becomes
 * {@code ratis_log_appender_follower_match_index{peer="n2"}}.
 */
final class RatisMeterNames {
  private static final Pattern CAMEL = Pattern.compile("([a-z0-9])([A-Z])");
  private static final Pattern NOT_NAME = Pattern.compile("[^a-zA-Z0-9_]+");
  private static final Pattern REPEATED_UNDERSCORE = Pattern.compile("__+");

  private RatisMeterNames() {}

  record Name(String name, Tags tags) {}

  /**
   * @param application Ratis' application name ("ratis", "ratis_grpc")
   * @param component the registry's component ("server", "log_worker", "leader_election", ...)
   * @param shortName the metric's own name within the registry
   * @param peers every configured member id, to find follower ids inside shortName
   */
  static Name of(String application, String component, String shortName, List<String> peers) {
    String rest = shortName;
    Tags tags = Tags.empty();
    for (String peer : peers) {
      String stripped = stripToken(rest, peer);
      if (!stripped.equals(rest)) {
        rest = stripped;
        tags = Tags.of("peer", peer);
        break;
      }
    }
    String base = snake(application) + "." + snake(component);
    return new Name(base + "." + snake(rest), tags);
  }

  /** Removes {@code token} where it stands between underscores (or at an end) of {@code s}. */
  static String stripToken(String s, String token) {
    java.util.regex.Matcher m = Pattern.compile("(^|_)" + Pattern.quote(token) + "(_|$)").matcher(s);
    if (!m.find()) {
      return s;
    }
    String joined = s.substring(0, m.start()) + (m.group(1).isEmpty() || m.group(2).isEmpty() ? "" : "_")
        + s.substring(m.end());
    return joined.isEmpty() ? s : joined;
  }

  static String snake(String s) {
    String snake = CAMEL.matcher(s).replaceAll("$1_$2").toLowerCase(java.util.Locale.ROOT);
    snake = NOT_NAME.matcher(snake).replaceAll("_");
    snake = REPEATED_UNDERSCORE.matcher(snake).replaceAll("_");
    return snake.replaceAll("^_|_$", "");
  }
}
