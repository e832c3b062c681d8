package io.gravwell.datastore.node.raft;

import java.lang.reflect.Method;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a node started with `serve --join` on empty storage waits, as long as it takes, for the leader to add
 * it: as a Raft listener whose idle election timer is stopped.
 *
 * <p>Why a listener: Ratis starts a new member's election timer with the first append that counts it as
 * caught up, and a follower whose timer fires while no configuration it holds names it as a voter closes its
 * group for good ("not in conf"). Any pause of the leader's traffic longer than an election timeout during
 * the add, or an append from before its old copy's removal, left such a node unable to join. A listener
 * never stands for election, and Ratis makes it a follower at the first append after a stable configuration
 * names it as a voter.
 *
 * <p>Why its timer is stopped: Ratis 3.3.0 runs a listener's election timer too, although it can never fire
 * an election, and the timer takes the division's monitor at every wake-up. The promotion to follower
 * happens inside an append, which holds that monitor, and waits for the listener's timer thread to end. If
 * the thread has just woken and waits for the monitor, neither goes on, and the node stays a silent voter
 * until restarted. Without the thread there is nothing to wait for; the promotion starts the follower's own
 * timer as usual. Ratis has no API for this, so it is reached by reflection; {@code JoiningGroupTest} fails
 * if a Ratis upgrade moves it.
 */
public final class JoiningStart {
  private static final Logger LOG = LoggerFactory.getLogger(JoiningStart.class);

  private JoiningStart() {}

  /**
   * The group to start a joining node with: itself alone, as a listener. Its only peer is itself: the
   * leader's log replaces this configuration with the cluster's at the first append.
   */
  public static RaftGroup group(RaftGroup configured, RaftPeerId self) {
    RaftPeer peer = configured.getPeer(self);
    if (peer == null) {
      throw new IllegalArgumentException(self + " is not among the configured peers " + configured.getPeers());
    }
    return RaftGroup.valueOf(configured.getGroupId(),
        RaftPeer.newBuilder(peer).setStartupRole(RaftPeerRole.LISTENER).build());
  }

  /**
   * Stops the election timer of a division that is still a listener, and waits until its thread has ended.
   * Returns false, with a warning, if the division is no longer a listener or this Ratis has no such timer
   * where 3.3.0 has it; the node then joins as before, exposed to the deadlock described above.
   */
  public static boolean stopListenerTimer(RaftServer.Division division) {
    if (!division.getInfo().isListener()) {
      LOG.warn("{} is {}, not a listener: its election timer stays", division.getMemberId(),
          division.getInfo().getCurrentRole());
      return false;
    }
    try {
      Object role = call(division, "getRole");
      CompletableFuture<?> stopped = (CompletableFuture<?>) call(role, "shutdownFollowerState");
      stopped.get(10, TimeUnit.SECONDS);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (Exception e) {
      LOG.warn("could not stop the listener timer of {} ({}): a Ratis upgrade moved it; the join can deadlock"
          + " at the promotion to follower (see JoiningStart)", division.getMemberId(), e.toString());
      return false;
    }
  }

  private static Object call(Object target, String method) throws ReflectiveOperationException {
    Method m = target.getClass().getDeclaredMethod(method);
    m.setAccessible(true);
    return m.invoke(target);
  }
}
