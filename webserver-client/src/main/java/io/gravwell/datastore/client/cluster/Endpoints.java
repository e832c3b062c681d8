package io.gravwell.datastore.client.cluster;

import io.gravwell.datastore.protocol.v1.HelloResult;
import io.gravwell.datastore.protocol.v1.Member;
import io.gravwell.datastore.protocol.wire.Frames;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;

/**
 * The endpoints a client may dial: the configured ones plus every member a node has told us about, and
 * which of them leads. Rotation starts at a random place so that a fleet spreads over the members.
 */
final class Endpoints {
  private final Set<String> known = new LinkedHashSet<>();
  private final Map<String, String> byMember = new ConcurrentHashMap<>();
  private volatile String leaderEndpoint;
  private int next;

  Endpoints(List<String> configured, RandomGenerator random) {
    for (String e : configured) {
      known.add(normalize(e));
    }
    next = random.nextInt(known.size());
  }

  static String normalize(String endpoint) {
    String e = endpoint.trim();
    int colon = e.lastIndexOf(':');
    if (colon < 0 || e.endsWith("]")) {
      return e + ":" + Frames.DEFAULT_PORT;
    }
    return e;
  }

  /** Learns members and the leader from a Hello answer. */
  synchronized void learn(HelloResult hello) {
    for (Member m : hello.getMembersList()) {
      if (!m.getClientAddress().isEmpty()) {
        known.add(m.getClientAddress());
        byMember.put(m.getId(), m.getClientAddress());
      }
    }
    leaderEndpoint = hello.getLeaderId().isEmpty() ? null : byMember.get(hello.getLeaderId());
  }

  synchronized int size() {
    return known.size();
  }

  String leader() {
    return leaderEndpoint;
  }

  /** Every known endpoint once, starting with the next in the rotation. */
  synchronized List<String> rotation() {
    List<String> all = new ArrayList<>(known);
    List<String> out = new ArrayList<>(all.size());
    for (int i = 0; i < all.size(); i++) {
      out.add(all.get((next + i) % all.size()));
    }
    next = (next + 1) % Math.max(1, all.size());
    return out;
  }
}
