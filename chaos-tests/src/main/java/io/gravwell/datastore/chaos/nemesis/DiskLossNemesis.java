package io.gravwell.datastore.chaos.nemesis;

import io.gravwell.datastore.chaos.cluster.NodeContainer;
import io.gravwell.datastore.chaos.docker.Host;
import io.gravwell.datastore.chaos.history.NemesisEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.awaitility.Awaitility;

/**
 * Loses disks: kill a node (or every node), delete its whole data directory, start it again empty. One
 * node: the runbook's "Lose one node's disk" — `datastore replace-node ID --with` the same id and address
 * removes the old copy, the node then starts with `serve --join`, and the command adds it back,
 * and must catch up from the others (by snapshot once the log is purged); nothing acknowledged may be
 * lost. (Restarting it empty as a voter with its peer list is what the runbook forbids: the leader still
 * counts its old log and Ratis shuts the empty copy's group down.) Every node: the cluster restarts as a
 * new, empty cluster with a new identity; only the webservers' local copies hold the data, and they must
 * re-seed it.
 */
public final class DiskLossNemesis implements Nemesis {
  private final boolean everyNode;
  private final List<NodeContainer> victims = new ArrayList<>();
  /** The victims whose data is really gone; a start that failed half-way leaves the rest with theirs. */
  private final List<NodeContainer> wiped = new ArrayList<>();

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
    wiped.clear();
    victims.addAll(everyNode ? faults.cluster().nodes() : List.of(faults.randomNode()));
    for (NodeContainer n : victims) {
      n.kill();
      n.wipeData();
      wiped.add(n);
    }
    faults.record(this, NemesisEvent.Action.START, "killed and wiped " + victims);
  }

  /**
   * Starts the wiped nodes; for one node, waits until it has caught up. Wiping a second node before the
   * first has its data back would lose a majority of disks, which no Raft group survives.
   */
  @Override
  public void heal(Faults faults) {
    if (victims.isEmpty()) {
      return;
    }
    // A start that failed half-way (a kill the engine did not confirm in time, seen once in CI) may leave
    // a victim running, or stopped with its data. Replacing such a node would remove a member that still
    // holds its log, and its group then closes for good; so it is restarted as it is, and only the wiped
    // ones are healed as lost disks. The start's own failure ends the run with its cause.
    List<NodeContainer> kept = victims.stream().filter(n -> !wiped.contains(n)).toList();
    if (!kept.isEmpty()) {
      kept.forEach(NodeContainer::start);
      faults.record(this, NemesisEvent.Action.HEAL, "start failed half-way; restarted " + kept + " with their data");
    }
    if (everyNode && !wiped.isEmpty()) {
      wiped.forEach(NodeContainer::start);
      faults.record(this, NemesisEvent.Action.HEAL, "started empty " + wiped);
    } else if (!wiped.isEmpty()) {
      replaceWipedNode(faults, wiped.get(0));
    }
    victims.clear();
    wiped.clear();
  }

  /**
   * The runbook's order: `replace-node` first; the wiped node starts (`serve --join`) only once its old
   * copy has left the configuration. Started earlier, the empty node is reached by the leader as the member
   * it was, takes the old membership, and closes its group when the removal commits (seen in CI: the
   * command then waited its full 10 minutes for a node that could no longer join).
   */
  private void replaceWipedNode(Faults faults, NodeContainer wiped) {
    faults.cluster().joinOnNextStart(wiped);
    NodeContainer leader = faults.leader();
    CompletableFuture<Host.Result> replace = CompletableFuture.supplyAsync(() -> leader.cli("replace-node", "-c",
        "/opt/gravwell/run/node.conf", wiped.id(), "--with", faults.cluster().peerSpec(wiped), "--wait", "5m"));
    Awaitility.await(wiped + " removed from the configuration").atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> replace.isDone() || leader.status().map(s -> s.getMembersList().stream()
            .noneMatch(m -> m.getId().equals(wiped.id()))).orElse(false));
    wiped.start();
    faults.record(this, NemesisEvent.Action.HEAL, "started empty " + wiped + " in join mode after step 1");
    Host.Result r = replace.join();
    faults.record(this, NemesisEvent.Action.INFO, "replace-node " + wiped + " via " + leader + ": exit "
        + r.exitCode() + " " + r.output());
    if (!r.ok()) {
      throw new IllegalStateException("replace-node failed: " + r.output());
    }
    faults.cluster().awaitConverged(Duration.ofSeconds(120));
    faults.record(this, NemesisEvent.Action.INFO, wiped + " caught up");
  }
}
