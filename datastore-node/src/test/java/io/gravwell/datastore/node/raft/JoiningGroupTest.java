package io.gravwell.datastore.node.raft;

import static io.gravwell.datastore.node.raft.LeaderStub.conf;
import static io.gravwell.datastore.node.raft.LeaderStub.freePort;
import static io.gravwell.datastore.node.raft.LeaderStub.peer;
import static io.gravwell.datastore.node.raft.LeaderStub.termIndex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.proto.RaftProtos.AppendEntriesReplyProto.AppendResult;
import org.apache.ratis.proto.RaftProtos.AppendEntriesRequestProto;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node started with `serve --join` waits, empty, for the leader to add it. This replays what a chaos run's
 * replaced node met: the leader's first append that counts it as caught up, then silence for longer than an
 * election timeout, before any configuration names it as a voter. The leader is played over the node's real
 * gRPC port; the node is a real Ratis server.
 */
class JoiningGroupTest {
  private static final RaftGroupId GROUP = RaftGroupId.valueOf(UUID.fromString("0b7c33b1-64a4-4a35-a1d4-0d6f3e9c2a10"));
  private static final Duration ELECTION_TIMEOUT = Duration.ofMillis(200); // Ratis waits 200-400 ms
  private static final List<String> OLD = List.of("n2", "n3");
  private static final List<String> WITH_N1 = List.of("n1", "n2", "n3");

  @TempDir Path dir;
  private RaftServer node;
  private LeaderStub n2;

  @AfterEach
  void stop() throws IOException {
    if (n2 != null) {
      n2.close();
    }
    if (node != null) {
      node.close();
    }
  }

  /**
   * What a joining node did before: started with an empty configuration, its election timer fired, it found
   * itself in no configuration and closed its group for good. This test fails if Ratis stops doing that.
   */
  @Test
  void withAnEmptyConfigurationTheNodeClosesItsGroupWhenTheLeaderFallsSilent() throws Exception {
    start(RaftGroup.valueOf(GROUP), freePort());
    firstAppendThenSilence();

    await("the group closed").atMost(Duration.ofSeconds(10)).until(this::closed);
  }

  @Test
  void asAListenerTheNodeWaitsThroughTheSilenceAndBecomesAFollowerOnceItIsAVoter() throws Exception {
    startJoining();
    assertThat(electionTimers()).as("a listener's idle election timer").isEmpty();
    firstAppendThenSilence();

    // ten election timeouts at the least, and longer than the test above needed to see the group close
    await("the group stays open").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
        .until(() -> !closed() && role() == RaftPeerRole.LISTENER);
    assertThat(node.getDivision(GROUP).getRaftConf().getCurrentPeers()).extracting(p -> p.getId().toString())
        .containsExactlyInAnyOrderElementsOf(OLD);

    assertThat(n2.send(addN1()).getResult()).isEqualTo(AppendResult.SUCCESS);
    await("a follower").atMost(Duration.ofSeconds(5)).until(() -> role() == RaftPeerRole.FOLLOWER);
    assertThat(closed()).isFalse();
    assertThat(electionTimers()).as("the follower's election timer").hasSize(1);
  }

  /**
   * The promotion to follower happens inside an append, under the division's monitor, and waits for the
   * listener's election timer to end. Ratis 3.3.0's listener timer takes that monitor at every wake-up: with
   * the timer waiting for it at that moment, the node deadlocked and stayed a silent voter (a chaos run's
   * thread dump showed exactly this). Here the test holds the monitor until the timer, if the node has one,
   * and the promoting append both wait for it, then lets go.
   */
  @Test
  void thePromotionToFollowerCompletesWhileTheDivisionsMonitorIsContended() throws Exception {
    startJoining();
    firstAppendThenSilence();
    RaftServer.Division division = node.getDivision(GROUP);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long self = Thread.currentThread().getId();
    CompletableFuture<AppendResult> promotion;
    synchronized (division) {
      await("every election timer waits for the monitor").atMost(Duration.ofSeconds(5))
          .until(() -> electionTimers().stream().allMatch(t -> t.getState() == Thread.State.BLOCKED));
      promotion = CompletableFuture.supplyAsync(() -> {
        try {
          return n2.send(addN1()).getResult();
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
      }, runnable -> new Thread(runnable, "promoting-append").start());
      await("the promoting append waits for the monitor").atMost(Duration.ofSeconds(5))
          .until(() -> Arrays.stream(threads.dumpAllThreads(false, false))
              .filter(t -> t.getLockOwnerId() == self)
              .anyMatch(t -> !t.getThreadName().contains("FollowerState")));
    }
    assertThat(promotion.get(10, TimeUnit.SECONDS)).isEqualTo(AppendResult.SUCCESS);
    await("a follower").atMost(Duration.ofSeconds(5)).until(() -> role() == RaftPeerRole.FOLLOWER);
    assertThat(electionTimers()).as("the follower's election timer").hasSize(1);
  }

  @Test
  void onlyAListenersTimerIsStopped() throws Exception {
    start(RaftGroup.valueOf(GROUP, peer("n1", freePort())), freePort());
    assertThat(JoiningStart.stopListenerTimer(node.getDivision(GROUP))).isFalse();
  }

  @Test
  void theJoiningGroupNeedsTheNodeAmongTheConfiguredPeers() {
    RaftGroup configured = RaftGroup.valueOf(GROUP, peer("n2", 1), peer("n3", 2));
    assertThatThrownBy(
            () -> JoiningStart.group(configured, RaftPeerId.valueOf("n1")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("n1");
  }

  private void start(RaftGroup group, int port) throws IOException {
    node = RaftServer.newBuilder()
        .setServerId(RaftPeerId.valueOf("n1"))
        .setGroup(group)
        .setProperties(RaftSettings.serverProperties(dir, "127.0.0.1", port, 10_000, ELECTION_TIMEOUT, Map.of()))
        .setStateMachine(new BaseStateMachine())
        .setOption(RaftStorage.StartupOption.FORMAT)
        .build();
    node.start();
    n2 = new LeaderStub(port, GROUP, "n1").lead("n2");
  }

  /** As `serve --join` starts a node on empty storage. */
  private void startJoining() throws IOException {
    int port = freePort();
    RaftGroup configured = RaftGroup.valueOf(GROUP, peer("n1", port), peer("n2", 1), peer("n3", 2));
    start(JoiningStart.group(configured, RaftPeerId.valueOf("n1")), port);
    assertThat(JoiningStart.stopListenerTimer(node.getDivision(GROUP))).isTrue();
  }

  /** The add: a configuration that names n1 as a voter (here without the joint step, which changes nothing). */
  private AppendEntriesRequestProto addN1() {
    return n2.request(3, termIndex(3, 0), List.of(conf(3, 1, WITH_N1)), 0);
  }

  /** The live election-timer threads of n1 (Ratis names them after the member and FollowerState). */
  private static List<Thread> electionTimers() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith("n1@") && t.getName().contains("FollowerState"))
        .toList();
  }

  /** The leader's first append, as to a member it counts as caught up; then it sends nothing more. */
  private void firstAppendThenSilence() throws InterruptedException {
    assertThat(n2.send(n2.request(3, null, List.of(conf(3, 0, OLD)), -1)).getResult()).isEqualTo(AppendResult.SUCCESS);
  }

  private boolean closed() {
    try {
      return !node.getDivision(GROUP).getInfo().isAlive();
    } catch (IOException | IllegalStateException e) {
      return true;
    }
  }

  private RaftPeerRole role() throws IOException {
    return node.getDivision(GROUP).getInfo().getCurrentRole();
  }
}
