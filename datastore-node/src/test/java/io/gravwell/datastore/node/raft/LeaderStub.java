package io.gravwell.datastore.node.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.proto.RaftProtos.AppendEntriesReplyProto;
import org.apache.ratis.proto.RaftProtos.AppendEntriesRequestProto;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.proto.RaftProtos.RaftConfigurationProto;
import org.apache.ratis.proto.RaftProtos.RaftGroupIdProto;
import org.apache.ratis.proto.RaftProtos.RaftRpcRequestProto;
import org.apache.ratis.proto.RaftProtos.TermIndexProto;
import org.apache.ratis.proto.grpc.RaftServerProtocolServiceGrpc;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.thirdparty.io.grpc.ManagedChannel;
import org.apache.ratis.thirdparty.io.grpc.netty.NettyChannelBuilder;
import org.apache.ratis.thirdparty.io.grpc.stub.StreamObserver;

/**
 * Plays Raft leaders against one real Ratis server over its real (plain-text) gRPC port: it sends the very
 * append requests Ratis' leaders send, one at a time, and waits for each reply. Tests use it to put a
 * server into a state that a real cluster reaches only by a rare interleaving.
 */
final class LeaderStub implements AutoCloseable {
  private final ManagedChannel channel;
  private final RaftGroupId group;
  private final String follower;
  private final BlockingQueue<AppendEntriesReplyProto> replies = new LinkedBlockingQueue<>();
  private final BlockingQueue<Throwable> errors = new LinkedBlockingQueue<>();
  private StreamObserver<AppendEntriesRequestProto> stream;
  private String leader;
  private long callId;

  LeaderStub(int port, RaftGroupId group, String follower) {
    this.channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    this.group = group;
    this.follower = follower;
  }

  /** From now on requests come from {@code leaderId}, on a stream of its own as a new leader's appender opens. */
  LeaderStub lead(String leaderId) {
    leader = leaderId;
    replies.clear();
    errors.clear();
    stream = RaftServerProtocolServiceGrpc.newStub(channel).appendEntries(new StreamObserver<>() {
      @Override
      public void onNext(AppendEntriesReplyProto reply) {
        replies.add(reply);
      }

      @Override
      public void onError(Throwable t) {
        errors.add(t);
      }

      @Override
      public void onCompleted() {}
    });
    return this;
  }

  /** A request of the current leader, as sent to a follower it counts as caught up (not initializing). */
  AppendEntriesRequestProto request(long term, TermIndexProto previous, List<LogEntryProto> entries, long leaderCommit) {
    return request(group, leader, follower, callId++, term, previous, entries, leaderCommit);
  }

  static AppendEntriesRequestProto request(RaftGroupId group, String leader, String follower, long callId, long term,
      TermIndexProto previous, List<LogEntryProto> entries, long leaderCommit) {
    AppendEntriesRequestProto.Builder b = AppendEntriesRequestProto.newBuilder()
        .setServerRequest(RaftRpcRequestProto.newBuilder()
            .setRequestorId(RaftPeerId.valueOf(leader).toByteString())
            .setReplyId(RaftPeerId.valueOf(follower).toByteString())
            .setRaftGroupId(RaftGroupIdProto.newBuilder().setId(group.toByteString()))
            .setCallId(callId))
        .setLeaderTerm(term)
        .addAllEntries(entries)
        .setLeaderCommit(leaderCommit)
        .setInitializing(false);
    if (previous != null) {
      b.setPreviousLog(previous);
    }
    return b.build();
  }

  AppendEntriesReplyProto send(AppendEntriesRequestProto request) throws InterruptedException {
    stream.onNext(request);
    AppendEntriesReplyProto reply = replies.poll(10, TimeUnit.SECONDS);
    assertThat(reply).as("reply to " + request.getLeaderTerm() + "/" + request.getEntriesCount()).isNotNull();
    return reply;
  }

  /** Sends a request the server fails, and returns the error that ended the stream (lead again to go on). */
  Throwable sendExpectingError(AppendEntriesRequestProto request) throws InterruptedException {
    stream.onNext(request);
    Throwable error = errors.poll(10, TimeUnit.SECONDS);
    assertThat(replies).as("replies to a request expected to fail").isEmpty();
    assertThat(error).as("error for " + request.getLeaderTerm() + "/" + request.getEntriesCount()).isNotNull();
    return error;
  }

  /** A configuration entry whose voters are {@code voters}. */
  static LogEntryProto conf(long term, long index, List<String> voters) {
    RaftConfigurationProto.Builder peers = RaftConfigurationProto.newBuilder();
    for (String id : voters) {
      peers.addPeers(RaftPeer.newBuilder().setId(id).setAddress("127.0.0.1:1").build().getRaftPeerProto());
    }
    return LogEntryProto.newBuilder().setTerm(term).setIndex(index).setConfigurationEntry(peers).build();
  }

  static TermIndexProto termIndex(long term, long index) {
    return TermIndexProto.newBuilder().setTerm(term).setIndex(index).build();
  }

  static RaftPeer peer(String id, int port) {
    return RaftPeer.newBuilder().setId(id).setAddress("127.0.0.1:" + port).build();
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() {
    channel.shutdownNow();
  }
}
