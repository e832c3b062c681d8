package io.gravwell.datastore.node.raft;

import java.util.EnumSet;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.grpc.server.GrpcServices;
import org.apache.ratis.proto.RaftProtos.AppendEntriesRequestProto;
import org.apache.ratis.proto.grpc.RaftServerProtocolServiceGrpc;
import org.apache.ratis.thirdparty.io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import org.apache.ratis.thirdparty.io.grpc.Metadata;
import org.apache.ratis.thirdparty.io.grpc.ServerCall;
import org.apache.ratis.thirdparty.io.grpc.ServerCallHandler;
import org.apache.ratis.thirdparty.io.grpc.ServerInterceptor;
import org.apache.ratis.thirdparty.io.grpc.netty.NettyServerBuilder;

/**
 * Keeps a follower from counting as committed an entry the leader's request does not prove it shares.
 *
 * <p>Raft lets a follower advance its commit index only up to the last entry the request showed to match
 * the leader's log: {@code min(leaderCommit, index of the last new entry)}, where a request with no
 * previous entry covers indexes from 0. Ratis (3.3.0, and its main branch as of 2026-11) takes a missing
 * previous entry as index 0 instead of -1, on both sides: its leader sends a heartbeat without a previous
 * entry (it does so whenever appends to that follower are in flight) with a leader commit of
 * {@code min(commit, 0)}, and its follower commits up to {@code min(leaderCommit, 0 + entries)}. A
 * follower that holds an index 0 of its own, written while it briefly led a lost term at startup, so
 * commits that foreign entry. From then on it refuses the leader's index 0 ("already committed") and every
 * later append ("previous entry not found"): it never catches up. That is the incident of
 * docs/incidents/2026-11-29-stuck-follower, and the same arithmetic can commit one entry too many when a
 * request without a previous entry carries entries.
 *
 * <p>The guard lowers the leader commit of such a request to the last index it carries (-1 for a
 * heartbeat) before Ratis reads it. Requests that name a previous entry, which Ratis handles right, pass
 * through untouched (the same object), so the hot path costs a field check.
 */
public final class FollowerCommitGuard implements ServerInterceptor, GrpcServices.Customizer {
  private static final String APPEND_ENTRIES =
      RaftServerProtocolServiceGrpc.getAppendEntriesMethod().getFullMethodName();

  /** Installs the guard on the Raft server port of a server built with {@code parameters}. */
  public static Parameters install(Parameters parameters) {
    GrpcConfigKeys.Server.setServicesCustomizer(parameters, new FollowerCommitGuard());
    return parameters;
  }

  /** The request with its leader commit bounded by what it proves; the same request when nothing changes. */
  public static AppendEntriesRequestProto bound(AppendEntriesRequestProto request) {
    if (request.hasPreviousLog()) {
      return request;
    }
    long lastCarried = request.getEntriesCount() - 1L;
    if (request.getLeaderCommit() <= lastCarried) {
      return request;
    }
    return request.toBuilder().setLeaderCommit(lastCarried).build();
  }

  @Override
  public NettyServerBuilder customize(NettyServerBuilder builder, EnumSet<GrpcServices.Type> types) {
    return types.contains(GrpcServices.Type.SERVER) ? builder.intercept(this) : builder;
  }

  @Override
  public <Q, A> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
    ServerCall.Listener<Q> listener = next.startCall(call, headers);
    if (!APPEND_ENTRIES.equals(call.getMethodDescriptor().getFullMethodName())) {
      return listener;
    }
    return new SimpleForwardingServerCallListener<>(listener) {
      @Override
      @SuppressWarnings("unchecked")
      public void onMessage(Q message) {
        super.onMessage((Q) bound((AppendEntriesRequestProto) message));
      }
    };
  }
}
