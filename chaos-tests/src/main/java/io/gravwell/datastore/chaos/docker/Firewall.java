package io.gravwell.datastore.chaos.docker;

import java.util.ArrayList;
import java.util.List;

/**
 * Host-side iptables rules in the DOCKER-USER chain, which sees container-to-container traffic on a
 * bridge. Every rule carries a comment so that {@link #removeAllOurRules()} finds leftovers after a crash
 * and never touches anyone else's rules. Traffic between the test JVM and the containers does not cross
 * this chain: clients keep reaching the node they talk to, as in a real partition between data centres.
 */
public final class Firewall {
  static final String COMMENT = "gravwell-chaos";
  private final List<List<String>> rules = new ArrayList<>();

  /** Drops every packet from {@code from} to {@code to} (one direction). */
  public synchronized void drop(String from, String to) {
    add(List.of("-s", from, "-d", to, "-j", "DROP"));
  }

  /** Drops packets from {@code from} to {@code to} with the given probability (one direction). */
  public synchronized void lose(String from, String to, double probability) {
    add(List.of("-s", from, "-d", to, "-m", "statistic", "--mode", "random",
        "--probability", String.format(java.util.Locale.ROOT, "%.3f", probability), "-j", "DROP"));
  }

  /** Cuts both directions between every address of {@code a} and every address of {@code b}. */
  public synchronized void cut(List<String> a, List<String> b) {
    for (String x : a) {
      for (String y : b) {
        drop(x, y);
        drop(y, x);
      }
    }
  }

  public synchronized void healAll() {
    for (List<String> rule : rules) {
      List<String> cmd = new ArrayList<>(List.of("iptables", "-D", "DOCKER-USER"));
      cmd.addAll(withComment(rule));
      Host.run(cmd);
    }
    rules.clear();
  }

  public synchronized int size() {
    return rules.size();
  }

  private void add(List<String> rule) {
    List<String> cmd = new ArrayList<>(List.of("iptables", "-I", "DOCKER-USER"));
    cmd.addAll(withComment(rule));
    Host.Result r = Host.run(cmd);
    if (!r.ok()) {
      throw new IllegalStateException("iptables refused " + rule + ": " + r.output());
    }
    rules.add(rule);
  }

  private static List<String> withComment(List<String> rule) {
    List<String> all = new ArrayList<>(rule.subList(0, rule.size() - 2));
    all.addAll(List.of("-m", "comment", "--comment", COMMENT));
    all.addAll(rule.subList(rule.size() - 2, rule.size()));
    return all;
  }

  /** Deletes every DOCKER-USER rule carrying our comment (leftovers of a crashed run included). */
  public static void removeAllOurRules() {
    String listing = Host.run("iptables", "-S", "DOCKER-USER").output();
    for (String line : listing.split("\n")) {
      if (line.startsWith("-A DOCKER-USER") && line.contains(COMMENT)) {
        List<String> cmd = new ArrayList<>(List.of("iptables", "-D"));
        cmd.addAll(splitRule(line.substring(3)));
        Host.run(cmd);
      }
    }
  }

  private static List<String> splitRule(String spec) {
    // iptables -S quotes nothing in our rules (no spaces in the comment), so a plain split is exact.
    return List.of(spec.trim().split("\\s+"));
  }
}
