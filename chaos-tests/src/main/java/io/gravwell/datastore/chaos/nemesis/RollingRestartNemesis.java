package io.gravwell.datastore.chaos.nemesis;

import io.gravwell.datastore.chaos.cluster.NodeContainer;
import io.gravwell.datastore.chaos.history.NemesisEvent;
import java.time.Duration;
import org.awaitility.Awaitility;

/**
 * A rolling restart as an operator does it: one node at a time, graceful stop (SIGTERM), start, wait
 * until it is back in the group before the next. The whole roll happens in start(); heal has nothing left.
 */
public final class RollingRestartNemesis implements Nemesis {
  @Override
  public String name() {
    return "rolling-restart";
  }

  @Override
  public void start(Faults faults) {
    for (NodeContainer n : faults.shuffledNodes()) {
      n.stop();
      faults.record(this, NemesisEvent.Action.INFO, "stopped " + n);
      n.start();
      Awaitility.await(n + " back in the group").atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> n.status().map(s -> !s.getLeaderId().isEmpty()).orElse(false));
      faults.record(this, NemesisEvent.Action.INFO, "restarted " + n);
    }
    faults.record(this, NemesisEvent.Action.START, "rolled every node");
  }

  @Override
  public void heal(Faults faults) {
    faults.record(this, NemesisEvent.Action.HEAL, "nothing to heal");
  }
}
