package io.gravwell.datastore.chaos.nemesis;

import io.gravwell.datastore.chaos.cluster.NodeContainer;
import io.gravwell.datastore.chaos.docker.Host;
import io.gravwell.datastore.chaos.history.NemesisEvent;
import java.time.Duration;
import org.awaitility.Awaitility;

/**
 * Membership change under load: start a new, empty node (ds4), add it with `datastore add-node`, and on
 * heal remove a random original member with `datastore remove-node` and stop it. The commands come with
 * the membership work; on a build without them {@link #unsupportedReason} says so and the run is skipped
 * with that note (never passed vacuously).
 */
public final class MembershipNemesis implements Nemesis {
  private NodeContainer added;

  @Override
  public String name() {
    return "membership";
  }

  @Override
  public String unsupportedReason(Faults faults) {
    NodeContainer any = faults.cluster().nodes().get(0);
    Host.Result help = any.cli("add-node", "--help");
    if (!help.ok() || !help.output().contains("add-node")) {
      return "`datastore add-node` does not exist in this build (membership commands not merged yet): "
          + help.output().lines().findFirst().orElse("");
    }
    return null;
  }

  @Override
  public void start(Faults faults) {
    if (!faults.cluster().canAddNode()) {
      faults.record(this, NemesisEvent.Action.INFO, "every node address of this run is used: no more joins");
      added = null;
      return;
    }
    added = faults.cluster().createJoiningNode();
    added.start();
    NodeContainer joining = added;
    // add-node first checks that the new node answers (in join mode): give its JVM time to listen.
    Awaitility.await(joining + " answers in join mode").atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofSeconds(1)).until(() -> joining.status().isPresent());
    NodeContainer leader = faults.leader();
    Host.Result r = leader.cli("add-node", "-c", "/opt/gravwell/run/node.conf", faults.cluster().peerSpec(added));
    faults.record(this, NemesisEvent.Action.START, "add-node " + added + " via " + leader + ": exit "
        + r.exitCode() + " " + r.output());
    if (!r.ok()) {
      throw new IllegalStateException("add-node failed: " + r.output());
    }
    Awaitility.await(added + " caught up").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
        .until(() -> added.status().map(s -> s.getAppliedIndex() > 0).orElse(false));
  }

  @Override
  public void heal(Faults faults) {
    if (added == null) {
      return;
    }
    NodeContainer leader = faults.leader();
    NodeContainer victim = faults.shuffledNodes().stream().filter(n -> n != added).findFirst().orElseThrow();
    Host.Result r = leader.cli("remove-node", "-c", "/opt/gravwell/run/node.conf", victim.id());
    faults.record(this, NemesisEvent.Action.HEAL, "remove-node " + victim + ": exit " + r.exitCode() + " " + r.output());
    if (r.ok()) {
      faults.cluster().retire(victim);
    }
    added = null;
  }
}
