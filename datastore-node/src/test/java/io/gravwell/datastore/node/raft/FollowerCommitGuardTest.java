package io.gravwell.datastore.node.raft;

import static io.gravwell.datastore.node.raft.LeaderStub.freePort;
import static io.gravwell.datastore.node.raft.LeaderStub.peer;
import static io.gravwell.datastore.node.raft.LeaderStub.termIndex;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.proto.RaftProtos.AppendEntriesReplyProto;
import org.apache.ratis.proto.RaftProtos.AppendEntriesReplyProto.AppendResult;
import org.apache.ratis.proto.RaftProtos.AppendEntriesRequestProto;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.proto.RaftProtos.TermIndexProto;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The startup race of docs/incidents/2026-11-29-stuck-follower, replayed against a real Ratis follower over
 * its real gRPC port: this test plays two successive leaders by sending the follower the very requests
 * Ratis' leaders send.
 *
 * <p>Follower n1 first receives index 0 from n2, leading term 10, which then loses its term before anyone
 * else acknowledges it. n3 wins term 11 holding a different index 0 (from term 9) and commits index 1 with
 * the third member. Its appender to n1 then has appends in flight, so its heartbeat to n1 names no previous
 * entry and carries a leader commit of {@code min(1, 0) = 0}; then come its entries from index 0.
 */
class FollowerCommitGuardTest {
  private static final RaftGroupId GROUP = RaftGroupId.valueOf(UUID.fromString("6d1c9a4e-2f57-4b83-9e0a-5c7d3b1f8a26"));
  private static final Duration QUIET = Duration.ofSeconds(20); // the follower must not start elections of its own

  @TempDir Path dir;
  private RaftServer follower;
  private LeaderStub stub;

  @AfterEach
  void stop() throws IOException {
    if (stub != null) {
      stub.close();
    }
    if (follower != null) {
      follower.close();
    }
  }

  // ---- the rule, without sockets

  @Test
  void aHeartbeatWithoutPreviousEntryProvesNothingCommitted() {
    AppendEntriesRequestProto heartbeat = request(11, null, List.of(), 0);
    assertThat(FollowerCommitGuard.bound(heartbeat).getLeaderCommit()).isEqualTo(-1);
  }

  @Test
  void entriesFromIndexZeroProveOnlyThemselves() {
    AppendEntriesRequestProto append = request(11, null, List.of(conf(9, 0), conf(11, 1)), 5);
    assertThat(FollowerCommitGuard.bound(append).getLeaderCommit()).isEqualTo(1);
    AppendEntriesRequestProto within = request(11, null, List.of(conf(9, 0), conf(11, 1)), 1);
    assertThat(FollowerCommitGuard.bound(within)).isSameAs(within);
  }

  @Test
  void requestsThatNameAPreviousEntryPassUntouched() {
    AppendEntriesRequestProto heartbeat = request(11, termIndex(11, 7), List.of(), 9);
    AppendEntriesRequestProto append = request(11, termIndex(11, 7), List.of(conf(11, 8)), 9);
    assertThat(FollowerCommitGuard.bound(heartbeat)).isSameAs(heartbeat);
    assertThat(FollowerCommitGuard.bound(append)).isSameAs(append);
  }

  // ---- a real Ratis follower

  /**
   * Without the guard Ratis commits the foreign index 0 and then refuses the leader forever. This test
   * fails once a Ratis upgrade fixes that; the guard can then go (it is harmless either way).
   */
  @Test
  void ratisAloneCommitsTheForeignFirstEntryAndGetsStuck() throws Exception {
    LeaderStub n3 = startFollowerAndRace(new Parameters());

    AppendEntriesReplyProto fromIndexZero = n3.send(n3.request(11, null, List.of(conf(9, 0), conf(11, 1)), 1));
    assertThat(fromIndexZero.getResult()).isEqualTo(AppendResult.INCONSISTENCY);
    assertThat(fromIndexZero.getNextIndex()).isEqualTo(1); // "index 0 is already committed"
    AppendEntriesReplyProto fromIndexOne = n3.send(n3.request(11, termIndex(9, 0), List.of(conf(11, 1)), 1));
    assertThat(fromIndexOne.getResult()).isEqualTo(AppendResult.INCONSISTENCY);
    assertThat(fromIndexOne.getNextIndex()).isEqualTo(0); // "I do not hold (t:9, i:0)"
    assertThat(division().getRaftLog().getTermIndex(0).getTerm()).isEqualTo(10);
    assertThat(division().getRaftLog().getLastCommittedIndex()).isEqualTo(0);
  }

  /** With the guard, as every node runs, the follower takes the leader's log and commits it. */
  @Test
  void withTheGuardTheFollowerTakesTheLeadersFirstEntry() throws Exception {
    LeaderStub n3 = startFollowerAndRace(FollowerCommitGuard.install(new Parameters()));

    AppendEntriesReplyProto fromIndexZero = n3.send(n3.request(11, null, List.of(conf(9, 0), conf(11, 1)), 1));
    assertThat(fromIndexZero.getResult()).isEqualTo(AppendResult.SUCCESS);
    assertThat(fromIndexZero.getMatchIndex()).isEqualTo(1);
    assertThat(division().getRaftLog().getTermIndex(0).getTerm()).isEqualTo(9);
    assertThat(division().getRaftLog().getLastCommittedIndex()).isEqualTo(1);
  }

  /** Runs the race up to the heartbeat; returns the stub, leading as n3. */
  private LeaderStub startFollowerAndRace(Parameters parameters) throws Exception {
    int port = freePort();
    List<RaftPeer> peers = List.of(peer("n1", port), peer("n2", freePort()), peer("n3", freePort()));
    follower = RaftServer.newBuilder()
        .setServerId(RaftPeerId.valueOf("n1"))
        .setGroup(RaftGroup.valueOf(GROUP, peers))
        .setProperties(RaftSettings.serverProperties(dir, "127.0.0.1", port, 10_000, QUIET, Map.of()))
        .setParameters(parameters)
        .setStateMachine(new BaseStateMachine())
        .setOption(RaftStorage.StartupOption.FORMAT)
        .build();
    follower.start();
    stub = new LeaderStub(port, GROUP, "n1");

    AppendEntriesReplyProto took = stub.lead("n2").send(stub.request(10, null, List.of(conf(10, 0)), -1));
    assertThat(took.getResult()).isEqualTo(AppendResult.SUCCESS);
    assertThat(took.getMatchIndex()).isEqualTo(0);

    AppendEntriesReplyProto heartbeat = stub.lead("n3").send(stub.request(11, null, List.of(), 0));
    assertThat(heartbeat.getResult()).isEqualTo(AppendResult.SUCCESS);
    return stub;
  }

  private RaftServer.Division division() throws IOException {
    return follower.getDivision(GROUP);
  }

  private static AppendEntriesRequestProto request(long term, TermIndexProto previous, List<LogEntryProto> entries,
      long leaderCommit) {
    return LeaderStub.request(GROUP, "n3", "n1", 0, term, previous, entries, leaderCommit);
  }

  private static LogEntryProto conf(long term, long index) {
    return LeaderStub.conf(term, index, List.of("n1", "n2", "n3"));
  }
}
