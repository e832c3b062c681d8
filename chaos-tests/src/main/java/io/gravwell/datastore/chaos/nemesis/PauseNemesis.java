package io.gravwell.datastore.chaos.nemesis;

import io.gravwell.datastore.chaos.cluster.NodeContainer;
import io.gravwell.datastore.chaos.history.NemesisEvent;

/** docker pause (every process of the node frozen, like SIGSTOP, sockets open) of the leader or a random node. */
public final class PauseNemesis implements Nemesis {
  private final boolean leader;
  private NodeContainer victim;

  public PauseNemesis(boolean leader) {
    this.leader = leader;
  }

  @Override
  public String name() {
    return leader ? "pause-leader" : "pause-random";
  }

  @Override
  public void start(Faults faults) {
    victim = leader ? faults.leader() : faults.randomNode();
    victim.pause();
    faults.record(this, NemesisEvent.Action.START, "paused " + victim);
  }

  @Override
  public void heal(Faults faults) {
    if (victim != null) {
      if (victim.container().isPaused()) {
        victim.unpause();
      }
      faults.record(this, NemesisEvent.Action.HEAL, "resumed " + victim);
      victim = null;
    }
  }
}
