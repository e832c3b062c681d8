package io.gravwell.datastore.chaos.nemesis;

import io.gravwell.datastore.chaos.cluster.NodeContainer;
import io.gravwell.datastore.chaos.history.NemesisEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * Network partitions between nodes, made with DROP rules in the host's DOCKER-USER chain:
 * <ul>
 *   <li>{@code LEADER_ISOLATED}: the leader alone on one side;
 *   <li>{@code RANDOM_HALVES}: a random minority against the rest;
 *   <li>{@code BRIDGE}: two sides that both still reach one bridge node (which may be the leader), the
 *       classic case where each side sees a majority.
 * </ul>
 */
public final class PartitionNemesis implements Nemesis {
  public enum Shape { LEADER_ISOLATED, RANDOM_HALVES, BRIDGE }

  private final Shape shape;

  public PartitionNemesis(Shape shape) {
    this.shape = shape;
  }

  @Override
  public String name() {
    return "partition-" + shape.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }

  @Override
  public void start(Faults faults) {
    List<NodeContainer> nodes = faults.shuffledNodes();
    String detail;
    switch (shape) {
      case LEADER_ISOLATED -> {
        NodeContainer leader = faults.leader();
        List<NodeContainer> rest = new ArrayList<>(nodes);
        rest.remove(leader);
        faults.firewall().cut(addresses(List.of(leader)), addresses(rest));
        detail = "isolated leader " + leader + " from " + rest;
      }
      case RANDOM_HALVES -> {
        int minority = Math.max(1, (nodes.size() - 1) / 2);
        List<NodeContainer> a = nodes.subList(0, minority);
        List<NodeContainer> b = nodes.subList(minority, nodes.size());
        faults.firewall().cut(addresses(a), addresses(b));
        detail = a + " | " + b;
      }
      case BRIDGE -> {
        NodeContainer bridge = nodes.get(0);
        List<NodeContainer> rest = nodes.subList(1, nodes.size());
        int half = rest.size() / 2;
        List<NodeContainer> a = rest.subList(0, half);
        List<NodeContainer> b = rest.subList(half, rest.size());
        faults.firewall().cut(addresses(a), addresses(b));
        detail = a + " | " + b + ", bridged by " + bridge;
      }
      default -> throw new IllegalStateException(shape.toString());
    }
    faults.record(this, NemesisEvent.Action.START, detail);
  }

  @Override
  public void heal(Faults faults) {
    int rules = faults.firewall().size();
    faults.firewall().healAll();
    faults.record(this, NemesisEvent.Action.HEAL, "removed " + rules + " rules");
  }

  static List<String> addresses(List<NodeContainer> nodes) {
    return nodes.stream().map(NodeContainer::address).toList();
  }
}
