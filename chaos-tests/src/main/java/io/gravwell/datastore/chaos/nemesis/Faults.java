package io.gravwell.datastore.chaos.nemesis;

import io.gravwell.datastore.chaos.cluster.ContainerCluster;
import io.gravwell.datastore.chaos.cluster.NodeContainer;
import io.gravwell.datastore.chaos.docker.Firewall;
import io.gravwell.datastore.chaos.history.NemesisEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/** What a nemesis acts on: the cluster, the firewall, the run's seeded random source, the timeline. */
public record Faults(ContainerCluster cluster, Firewall firewall, RandomGenerator random, Timeline timeline) {

  public void record(Nemesis n, NemesisEvent.Action action, String detail) {
    timeline.record(n.name(), action, detail);
  }

  /** The current leader, waiting for one to be elected if needed. */
  public NodeContainer leader() {
    return cluster.awaitLeader(Duration.ofSeconds(60));
  }

  public NodeContainer randomNode() {
    List<NodeContainer> nodes = cluster.nodes();
    return nodes.get(random.nextInt(nodes.size()));
  }

  /** The nodes in a seeded random order. */
  public List<NodeContainer> shuffledNodes() {
    List<NodeContainer> nodes = new ArrayList<>(cluster.nodes());
    for (int i = nodes.size() - 1; i > 0; i--) {
      java.util.Collections.swap(nodes, i, random.nextInt(i + 1));
    }
    return nodes;
  }
}
