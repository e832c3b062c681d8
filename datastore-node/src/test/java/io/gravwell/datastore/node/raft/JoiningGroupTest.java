package io.gravwell.datastore.node.raft;

import static io.gravwell.datastore.node.raft.LeaderStub.conf;
import static io.gravwell.datastore.node.raft.LeaderStub.freePort;
import static io.gravwell.datastore.node.raft.LeaderStub.peer;
import static io.gravwell.datastore.node.raft.LeaderStub.termIndex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.ratis.proto.RaftProtos.AppendEntriesReplyProto.AppendResult;
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
    int port = freePort();
    RaftGroup configured = RaftGroup.valueOf(GROUP, peer("n1", port), peer("n2", 1), peer("n3", 2));
    start(RaftSettings.joiningGroup(configured, RaftPeerId.valueOf("n1")), port);
    firstAppendThenSilence();

    // ten election timeouts at the least, and longer than the test above needed to see the group close
    await("the group stays open").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
        .until(() -> !closed() && role() == RaftPeerRole.LISTENER);
    assertThat(node.getDivision(GROUP).getRaftConf().getCurrentPeers()).extracting(p -> p.getId().toString())
        .containsExactlyInAnyOrderElementsOf(OLD);

    // the add: a configuration that names n1 as a voter (here without the joint step, which changes nothing)
    assertThat(n2.send(n2.request(3, termIndex(3, 0), List.of(conf(3, 1, WITH_N1)), 0)).getResult())
        .isEqualTo(AppendResult.SUCCESS);
    await("a follower").atMost(Duration.ofSeconds(5)).until(() -> role() == RaftPeerRole.FOLLOWER);
    assertThat(closed()).isFalse();
  }

  @Test
  void theJoiningGroupNeedsTheNodeAmongTheConfiguredPeers() {
    RaftGroup configured = RaftGroup.valueOf(GROUP, peer("n2", 1), peer("n3", 2));
    assertThatThrownBy(
            () -> RaftSettings.joiningGroup(configured, RaftPeerId.valueOf("n1")))
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
