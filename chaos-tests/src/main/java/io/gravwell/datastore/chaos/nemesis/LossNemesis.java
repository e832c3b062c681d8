package io.gravwell.datastore.chaos.nemesis;

import io.gravwell.datastore.chaos.cluster.NodeContainer;
import io.gravwell.datastore.chaos.history.NemesisEvent;
import java.util.List;

/**
 * One-way packet loss: packets from one random node to every other node are dropped with probability
 * {@code p}; the replies still flow. Asymmetric faults confuse failure detectors more than clean cuts.
 */
public final class LossNemesis implements Nemesis {
  private final double probability;

  public LossNemesis(double probability) {
    this.probability = probability;
  }

  @Override
  public String name() {
    return "one-way-loss";
  }

  @Override
  public void start(Faults faults) {
    List<NodeContainer> nodes = faults.shuffledNodes();
    NodeContainer from = nodes.get(0);
    for (NodeContainer to : nodes.subList(1, nodes.size())) {
      faults.firewall().lose(from.address(), to.address(), probability);
    }
    faults.record(this, NemesisEvent.Action.START,
        "dropping " + Math.round(probability * 100) + "% of packets from " + from + " to the others");
  }

  @Override
  public void heal(Faults faults) {
    faults.firewall().healAll();
    faults.record(this, NemesisEvent.Action.HEAL, "loss removed");
  }
}
