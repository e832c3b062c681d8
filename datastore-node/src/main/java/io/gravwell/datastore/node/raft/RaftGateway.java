package io.gravwell.datastore.node.raft;

import com.google.protobuf.InvalidProtocolBufferException;
import io.gravwell.datastore.protocol.client.DatastoreException;
import io.gravwell.datastore.protocol.v1.ErrorCode;
import io.gravwell.datastore.statemachine.DatastoreStateMachine;
import io.gravwell.datastore.statemachine.v1.EntryResult;
import io.gravwell.datastore.statemachine.v1.LogEntry;
import io.gravwell.datastore.statemachine.v1.Query;
import io.gravwell.datastore.statemachine.v1.QueryResult;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientAsynchronousProtocol;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.exceptions.AlreadyClosedException;
import org.apache.ratis.protocol.exceptions.RaftException;
import org.apache.ratis.protocol.exceptions.StateMachineException;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's only way into Raft. Writes go through a RaftClient, which finds the leader and follows
 * redirects, so any node accepts any write ("forward", not "redirect"). Linearizable reads run on this
 * node after a ReadIndex round that reads arriving together share, handed to the Raft server in-process;
 * at-least reads are answered locally once this node has applied the index.
 *
 * <p>Ratis completes replies on its own threads while holding locks (a pending request's monitor; for an
 * in-process write, the apply thread with its window open). Whatever may block or take long runs on
 * {@code replies}: submits, forwarded sends, retries, reads. Only a write's success is answered where it
 * arrives (parse, answer, hand to the event loop), to spare the lone writer two wake-ups; what is chained
 * on a write's outcome must therefore never block.
 */
public final class RaftGateway implements AutoCloseable {
  /** What status answers once Ratis closed this node's division (it was removed); the CLI recognises it. */
  public static final String DIVISION_CLOSED = "raft division unavailable (removed from the cluster?)";

  private static final Logger LOG = LoggerFactory.getLogger(RaftGateway.class);
  private static final Duration SNAPSHOT_TIMEOUT = Duration.ofMinutes(10);
  private final RaftServer server;
  private final RaftGroup group;
  private final RaftPeerId self;
  private final DatastoreStateMachine stateMachine;
  // Ratis closes a client's ordered-request window for good once one write exhausts its retries (e.g.
  // while no leader exists, or under heavy load at start-up); every later write then fails at once with
  // AlreadyClosedException. The chaos runs caught a node stuck like that forever, so the gateway swaps in
  // a fresh client when it sees one.
  private final Supplier<RaftClient> newClient;
  private final AtomicReference<RaftClient> client;
  // Only its gRPC streams are used: they carry a leader's in-process writes on to the next leader. Not
  // the client's, so that resetting a stream after a failure never disturbs the client's own requests.
  private final RaftClient forwarder;
  // Member id -> the host:port webservers dial. Ratis has no place for it: RaftPeer's client address is
  // what Ratis' own clients dial for gRPC.
  private final Map<String, String> clientEndpoints;
  private final ExecutorService replies;
  private final Duration requestTimeout;
  private final ClientId inProcessClientId = ClientId.randomId();
  private final AtomicLong inProcessCallIds = new AtomicLong();
  private final ReadBarrier readBarrier = new ReadBarrier(this::readIndexRound);
  // Built once: every write on the leader starts a WriteInvocation with these.
  private final WriteInvocation.Transport invocationTransport = this::sendAttempt;
  private final Supplier<List<RaftPeer>> invocationPeers = this::currentPeersOrNone;
  private final WriteInvocation.Delays invocationDelays = this::repliesAfter;

  public RaftGateway(
      RaftServer server,
      RaftGroup group,
      RaftPeerId self,
      DatastoreStateMachine stateMachine,
      Supplier<RaftClient> newClient,
      Map<String, String> clientEndpoints,
      ExecutorService replies,
      Duration requestTimeout) {
    this.server = server;
    this.group = group;
    this.self = self;
    this.stateMachine = stateMachine;
    this.newClient = newClient;
    this.client = new AtomicReference<>(newClient.get());
    this.forwarder = newClient.get();
    this.clientEndpoints = Map.copyOf(clientEndpoints);
    this.replies = replies;
    this.requestTimeout = requestTimeout;
  }

  /** Replicates one entry and returns what apply answered. A timeout leaves the outcome unknown. */
  public CompletableFuture<EntryResult> write(LogEntry entry) {
    return write(message(entry));
  }

  /**
   * {@link #write(LogEntry)} for an entry the state machine already serialized. On the leader (where the
   * webservers' clients send their writes) the entry goes to this node's Raft server in-process; elsewhere
   * it is forwarded through the node's Raft client, which finds the leader.
   */
  public CompletableFuture<EntryResult> write(Message entry) {
    CompletableFuture<RaftClientReply> sent = isLeader() ? writeInProcess(entry) : writeThroughClient(entry);
    // Parsed where the reply arrives (the apply thread, `replies` or Ratis' client): a few microseconds,
    // and a hand-off less on the way back to the client.
    return withTimeout(sent, ErrorCode.TIMEOUT).thenApply(reply -> parse(reply, EntryResult::parseFrom));
  }

  /**
   * The write handed straight to this node's server, without the gRPC round trip (HTTP/2, TLS and protobuf
   * on both ends) from the node to itself. Should leadership move meanwhile, the same invocation follows it
   * over gRPC ({@link WriteInvocation} says why the id must stay the same).
   */
  private CompletableFuture<RaftClientReply> writeInProcess(Message entry) {
    return new WriteInvocation(invocationTransport, invocationPeers, System::nanoTime, invocationDelays,
        inProcessClientId, inProcessCallIds.incrementAndGet(), group.getGroupId(), entry, requestTimeout.toMillis())
        .run(self);
  }

  /**
   * Where an in-process request is submitted: this node's division itself. The server's own
   * `submitClientRequestAsync` hands each request to the division's client executor and blocks until that
   * thread has submitted it: two thread hand-offs on every write's and read round's way, for a caller that
   * is already a thread of ours off the event loop (`raft-replies`). The division is Ratis' implementation of
   * the same protocol; should a Ratis version hand out another kind of division, the server's path is used.
   */
  private RaftClientAsynchronousProtocol division() throws IOException {
    return server.getDivision(group.getGroupId()) instanceof RaftClientAsynchronousProtocol direct ? direct : server;
  }

  private Executor repliesAfter(long ms) {
    return ms == 0 ? replies : CompletableFuture.delayedExecutor(ms, TimeUnit.MILLISECONDS, replies);
  }

  /** One attempt of a {@link WriteInvocation}: in-process to this node, over gRPC to any other. */
  private CompletableFuture<RaftClientReply> sendAttempt(RaftPeerId target, RaftClientRequest request) {
    if (target.equals(self)) {
      try {
        return division().submitClientRequestAsync(request);
      } catch (IOException e) {
        return CompletableFuture.failedFuture(e);
      }
    }
    var rpc = forwarder.getClientRpc();
    rpc.addRaftPeers(currentPeers());
    // A stream that carried a failure is dead for every later request (Ratis' gRPC client closes it on
    // "not leader" too); a fresh one is opened on the next send.
    return rpc.sendRequestAsyncUnordered(request).whenComplete((r, e) -> {
      if (e != null) {
        rpc.handleException(target, e, true);
      }
    });
  }

  private CompletableFuture<RaftClientReply> writeThroughClient(Message entry) {
    RaftClient c = client.get();
    // Sent from `replies`: Ratis' ordered client may wait for a free slot, and the caller can be a Netty
    // event loop or the thread that delivered the previous write's reply.
    CompletableFuture<RaftClientReply> sent =
        CompletableFuture.supplyAsync(() -> c.async().send(entry), replies).thenCompose(f -> f);
    sent.whenComplete((reply, error) -> {
      if (error != null && isClosed(error)) {
        renew(c);
      }
    });
    return sent;
  }

  private List<RaftPeer> currentPeersOrNone() {
    try {
      return currentPeers();
    } catch (DatastoreException e) {
      return List.of();
    }
  }

  /**
   * A read that reflects every write acknowledged before it started: it waits for a ReadIndex round that
   * began after it arrived ({@link ReadBarrier}, shared with the reads that arrived with it), then runs on
   * this node's state.
   */
  public CompletableFuture<QueryResult> readLinearizable(Query query) {
    return withTimeout(readBarrier.pass(), ErrorCode.UNAVAILABLE)
        .thenApplyAsync(passed -> stateMachine.queryLocal(query), replies);
  }

  /**
   * One round of {@link ReadBarrier}: a ReadIndex read through this node, which Ratis completes once this
   * node has applied the confirmed index. Its answer is not used, so it asks for nothing (an empty query,
   * answered with a cheap error). Bounded by the request timeout, so a lost round cannot hold back the
   * reads queued behind it.
   */
  private CompletableFuture<RaftClientReply> readIndexRound() {
    Message request = message(Query.getDefaultInstance());
    return readInProcess(request)
        // The fallback is sent from `replies`, not from the Ratis thread that completed the first attempt.
        .handleAsync((reply, error) -> error == null && reply.isSuccess() ? CompletableFuture.completedFuture(reply)
            : readThroughClient(request), replies)
        .thenCompose(f -> f)
        .thenApply(RaftGateway::succeeded)
        .orTimeout(requestTimeout.toMillis(), TimeUnit.MILLISECONDS)
        // The barrier starts the next round from this completion: on `replies`, never on a Ratis thread.
        .whenCompleteAsync((reply, error) -> { }, replies);
  }

  /**
   * The read handed straight to this node's Raft server: the same ReadIndex protocol, without a gRPC
   * round trip (HTTP/2, TLS and protobuf on both ends) from the node to itself, which cost as much CPU as
   * the read itself.
   */
  private CompletableFuture<RaftClientReply> readInProcess(Message request) {
    try {
      return division().submitClientRequestAsync(RaftClientRequest.newBuilder()
          .setClientId(inProcessClientId)
          .setServerId(self)
          .setGroupId(group.getGroupId())
          .setCallId(inProcessCallIds.incrementAndGet())
          .setMessage(request)
          .setType(RaftClientRequest.readRequestType())
          .setTimeoutMs(requestTimeout.toMillis())
          .build());
    } catch (IOException | RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * The client path, when the in-process read failed (no leader yet, leader not ready, ReadIndex lost):
   * Ratis' client retries those on its own. Unordered: reads need no sequencing among themselves, and
   * Ratis' ordered stream stalls a read sent to a non-leader behind its sliding window.
   */
  private CompletableFuture<RaftClientReply> readThroughClient(Message request) {
    return client.get().async().sendReadOnlyUnordered(request, self);
  }

  /**
   * A read from this node's own state once it has applied {@code minIndex}: cheap, spreads read load over
   * every member, and never goes back in time for a client that passes the last revision it saw.
   */
  public CompletableFuture<QueryResult> readAtLeast(Query query, long minIndex, Duration maxWait) {
    return stateMachine.whenApplied(minIndex)
        .orTimeout(maxWait.toMillis(), TimeUnit.MILLISECONDS)
        .handleAsync((ok, error) -> {
          if (error != null) {
            throw new DatastoreException(ErrorCode.REVISION_NOT_REACHED, "node " + self + " has applied "
                + appliedIndex() + ", below the requested revision " + minIndex);
          }
          return stateMachine.queryLocal(query);
        }, replies);
  }

  /** This node's own state as it is now, without waiting for any index (a joining node has applied none). */
  public CompletableFuture<QueryResult> readLocal(Query query) {
    return CompletableFuture.supplyAsync(() -> stateMachine.queryLocal(query), replies);
  }

  public CompletableFuture<Long> takeSnapshot() {
    return CompletableFuture.supplyAsync(() -> {
      try {
        // A snapshot copies the whole store: about 30 s for 1 GiB here, so the ordinary request timeout
        // would report a failure while the snapshot goes on; the caller's own timeout still applies.
        return succeeded(client.get().getSnapshotManagementApi(self).create(1, SNAPSHOT_TIMEOUT.toMillis()))
            .getLogIndex();
      } catch (IOException e) {
        throw new DatastoreException(ErrorCode.UNAVAILABLE, "snapshot failed: " + e.getMessage());
      }
    }, replies);
  }

  public boolean isLeader() {
    try {
      return server.getDivision(group.getGroupId()).getInfo().isLeader();
    } catch (IOException e) {
      return false;
    }
  }

  /** The revision this node's store reflects. */
  public long appliedIndex() {
    return stateMachine.appliedIndex();
  }

  /** First index still in this node's log; everything before it lives only in snapshots. */
  public long logStartIndex() {
    try {
      return server.getDivision(group.getGroupId()).getRaftLog().getStartIndex();
    } catch (IOException e) {
      throw new DatastoreException(ErrorCode.UNAVAILABLE, "raft division unavailable: " + e.getMessage());
    }
  }

  public RaftStatus status() {
    try {
      var division = server.getDivision(group.getGroupId());
      DivisionInfo info = division.getInfo();
      RaftPeerId leader = info.getLeaderId();
      long lastLogIndex = division.getRaftLog().getLastEntryTermIndex() == null ? 0
          : division.getRaftLog().getLastEntryTermIndex().getIndex();
      Map<String, FollowerProgress> progress = info.isLeader() ? followerProgress(info) : Map.of();
      List<RaftStatus.MemberInfo> members = new ArrayList<>();
      boolean inConfiguration = false;
      for (RaftPeer peer : division.getRaftConf().getCurrentPeers()) {
        String id = peer.getId().toString();
        inConfiguration |= peer.getId().equals(self);
        String role = peer.getId().equals(leader) ? "LEADER"
            : peer.getId().equals(self) ? info.getCurrentRole().name()
            : "FOLLOWER";
        OptionalLong match = OptionalLong.empty();
        OptionalLong lastResponse = OptionalLong.empty();
        if (info.isLeader() && peer.getId().equals(self)) {
          match = OptionalLong.of(lastLogIndex);
          lastResponse = OptionalLong.of(0);
        } else if (progress.containsKey(id)) {
          match = OptionalLong.of(progress.get(id).matchIndex());
          lastResponse = OptionalLong.of(progress.get(id).lastResponseMs());
        }
        members.add(new RaftStatus.MemberInfo(id, peer.getAddress(), clientAddress(id), role, match, lastResponse));
      }
      return new RaftStatus(
          self.toString(),
          info.getCurrentRole().name(),
          info.getCurrentTerm(),
          leader == null ? "" : leader.toString(),
          division.getRaftLog().getLastCommittedIndex(),
          info.getLastAppliedIndex(),
          lastLogIndex,
          inConfiguration,
          members);
    } catch (IOException | IllegalStateException e) {
      // Ratis closes the division of a member removed from the configuration.
      throw new DatastoreException(ErrorCode.UNAVAILABLE, DIVISION_CLOSED + ": " + e.getMessage());
    }
  }

  /**
   * The client address of a member: the replicated member directory wins (it is what membership changes
   * write), then this node's own Datastore-Peer lines (the founding members).
   */
  public String clientAddress(String memberId) {
    String committed = stateMachine.memberAddresses().get(memberId);
    return committed != null ? committed : clientEndpoints.getOrDefault(memberId, "");
  }

  private static Map<String, FollowerProgress> followerProgress(DivisionInfo info) {
    Map<String, FollowerProgress> byId = new java.util.HashMap<>();
    FollowerProgress.of(info).ifPresent(all -> all.forEach(f -> byId.put(f.id(), f)));
    return byId;
  }

  /** The configuration this node's Raft division currently runs with (voters only). */
  public List<RaftPeer> currentPeers() {
    try {
      return List.copyOf(server.getDivision(group.getGroupId()).getRaftConf().getCurrentPeers());
    } catch (IOException e) {
      throw new DatastoreException(ErrorCode.UNAVAILABLE, "raft division unavailable: " + e.getMessage());
    }
  }

  /** Whether a configuration change is still in progress (joint consensus or staging). */
  public boolean configurationChanging() {
    try {
      return !server.getDivision(group.getGroupId()).getRaftConf().getPreviousPeers().isEmpty();
    } catch (IOException e) {
      return false;
    }
  }

  /** This node's Raft division; for the guards and tests in this package. */
  RaftServer.Division raftDivision() throws IOException {
    return server.getDivision(group.getGroupId());
  }

  public RaftGroup group() {
    return group;
  }

  public RaftPeerId self() {
    return self;
  }

  private <T> CompletableFuture<T> withTimeout(CompletableFuture<T> future, ErrorCode onTimeout) {
    return future.orTimeout(requestTimeout.toMillis(), TimeUnit.MILLISECONDS)
        .exceptionally(t -> {
          Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
          if (cause instanceof TimeoutException) {
            throw new DatastoreException(onTimeout,
                "no answer from the cluster within " + requestTimeout.toMillis() + " ms"
                    + (onTimeout == ErrorCode.TIMEOUT ? "; the write may or may not have been applied" : ""));
          }
          throw toDatastoreException(cause);
        });
  }

  /** Ratis carries its own shaded protobuf; our messages cross over as bytes. */
  private static Message message(com.google.protobuf.MessageLite m) {
    return Message.valueOf(UnsafeByteOperations.unsafeWrap(m.toByteArray()));
  }

  private interface Parser<T> {
    T parse(byte[] bytes) throws InvalidProtocolBufferException;
  }

  /** The reply itself when Ratis reports success; otherwise its exception, as the client-facing error. */
  private static RaftClientReply succeeded(RaftClientReply reply) {
    if (!reply.isSuccess()) {
      throw toDatastoreException(reply.getException());
    }
    return reply;
  }

  private static <T> T parse(RaftClientReply reply, Parser<T> parser) {
    ByteString content = succeeded(reply).getMessage().getContent();
    try {
      return parser.parse(content.toByteArray());
    } catch (InvalidProtocolBufferException e) {
      throw new DatastoreException(ErrorCode.INTERNAL, "state machine answered with an unreadable message");
    }
  }

  static DatastoreException toDatastoreException(Throwable t) {
    if (t instanceof DatastoreException d) {
      return d;
    }
    if (t instanceof StateMachineException) {
      return new DatastoreException(ErrorCode.INTERNAL, "state machine error: " + t.getMessage());
    }
    if (t instanceof RaftException || t instanceof IOException) {
      return new DatastoreException(ErrorCode.UNAVAILABLE, "cluster unavailable: " + t.getMessage());
    }
    return new DatastoreException(ErrorCode.INTERNAL, String.valueOf(t));
  }

  private static boolean isClosed(Throwable t) {
    for (Throwable x = t; x != null; x = x.getCause()) {
      if (x instanceof AlreadyClosedException) {
        return true;
      }
    }
    return false;
  }

  /** Replaces {@code broken} (once, however many writes saw it fail) and closes it off Ratis' threads. */
  private void renew(RaftClient broken) {
    RaftClient fresh = newClient.get();
    if (client.compareAndSet(broken, fresh)) {
      LOG.warn("the node's Raft client closed its request window; replaced it with a new client");
      replies.execute(() -> closeQuietly(broken));
    } else {
      closeQuietly(fresh);
    }
  }

  private static void closeQuietly(RaftClient c) {
    try {
      c.close();
    } catch (IOException | RuntimeException e) {
      LOG.debug("closing a replaced Raft client: {}", e.toString());
    }
  }

  @Override
  public void close() throws IOException {
    try {
      client.get().close();
    } finally {
      forwarder.close();
    }
  }
}
