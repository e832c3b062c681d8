package io.gravwell.datastore.chaos.nemesis;

import io.gravwell.datastore.chaos.cluster.NodeContainer;
import io.gravwell.datastore.chaos.docker.Host;
import io.gravwell.datastore.chaos.history.NemesisEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;

/**
 * Loses disks: kill a node (or every node), delete its whole data directory, start it again empty. One
 * node: the runbook's "Lose one node's disk" — it starts with `serve --join` and is swapped back in with
 * `datastore replace-node ID --with` the same id and address (remove, then add once it answers empty),
 * and must catch up from the others (by snapshot once the log is purged); nothing acknowledged may be
 * lost. (Restarting it empty as a voter with its peer list is what the runbook forbids: the leader still
 * counts its old log and Ratis shuts the empty copy's group down.) Every node: the cluster restarts as a
 * new, empty cluster with a new identity; only the webservers' local copies hold the data, and they must
 * re-seed it.
 */
public final class DiskLossNemesis implements Nemesis {
  private final boolean everyNode;
  private final List<NodeContainer> victims = new ArrayList<>();

  private DiskLossNemesis(boolean everyNode) {
    this.everyNode = everyNode;
  }

  public static DiskLossNemesis oneNode() {
    return new DiskLossNemesis(false);
  }

  public static DiskLossNemesis everyNode() {
    return new DiskLossNemesis(true);
  }

  @Override
  public String name() {
    return everyNode ? "lose-every-disk" : "lose-one-disk";
  }

  @Override
  public boolean keepsData() {
    return !everyNode;
  }

  @Override
  public void start(Faults faults) {
    victims.clear();
    victims.addAll(everyNode ? faults.cluster().nodes() : List.of(faults.randomNode()));
    for (NodeContainer n : victims) {
      n.kill();
      n.wipeData();
    }
    faults.record(this, NemesisEvent.Action.START, "killed and wiped " + victims);
  }

  /**
   * Starts the wiped nodes; for one node, waits until it has caught up. Wiping a second node before the
   * first has its data back would lose a majority of disks, which no Raft group survives.
   */
  @Override
  public void heal(Faults faults) {
    for (NodeContainer n : victims) {
      if (!everyNode) {
        faults.cluster().joinOnNextStart(n);
      }
      n.start();
    }
    if (!victims.isEmpty()) {
      faults.record(this, NemesisEvent.Action.HEAL, "started empty " + victims);
      if (!everyNode) {
        NodeContainer wiped = victims.get(0);
        Awaitility.await(wiped + " answers in join mode").atMost(Duration.ofSeconds(90))
            .pollInterval(Duration.ofSeconds(1)).until(() -> wiped.status().isPresent());
        NodeContainer leader = faults.leader();
        Host.Result r = leader.cli("replace-node", "-c", "/opt/gravwell/run/node.conf", wiped.id(),
            "--with", faults.cluster().peerSpec(wiped));
        faults.record(this, NemesisEvent.Action.INFO, "replace-node " + wiped + " via " + leader + ": exit "
            + r.exitCode() + " " + r.output());
        if (!r.ok()) {
          throw new IllegalStateException("replace-node failed: " + r.output());
        }
        faults.cluster().awaitConverged(Duration.ofSeconds(120));
        faults.record(this, NemesisEvent.Action.INFO, victims + " caught up");
      }
    }
    victims.clear();
  }
}
