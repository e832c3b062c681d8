package io.gravwell.datastore.chaos.nemesis;

import io.gravwell.datastore.chaos.cluster.NodeContainer;
import io.gravwell.datastore.chaos.history.NemesisEvent;

/** kill -9 of the leader or of a random node; heal restarts it (same disk, same address). */
public final class KillNemesis implements Nemesis {
  private final boolean leader;
  private NodeContainer victim;

  private KillNemesis(boolean leader) {
    this.leader = leader;
  }

  public static KillNemesis leader() {
    return new KillNemesis(true);
  }

  public static KillNemesis randomNode() {
    return new KillNemesis(false);
  }

  @Override
  public String name() {
    return leader ? "kill-leader" : "kill-random";
  }

  @Override
  public void start(Faults faults) {
    victim = leader ? faults.leader() : faults.randomNode();
    victim.kill();
    faults.record(this, NemesisEvent.Action.START, "SIGKILL " + victim);
  }

  @Override
  public void heal(Faults faults) {
    if (victim != null) {
      victim.start();
      faults.record(this, NemesisEvent.Action.HEAL, "restarted " + victim);
      victim = null;
    }
  }
}
