package io.gravwell.datastore.node.service;

import io.gravwell.datastore.node.membership.Membership;
import io.gravwell.datastore.node.net.RequestService;
import io.gravwell.datastore.node.raft.RaftGateway;
import io.gravwell.datastore.node.raft.RaftStatus;
import io.gravwell.datastore.protocol.client.DatastoreException;
import io.gravwell.datastore.protocol.v1.Batch;
import io.gravwell.datastore.protocol.v1.Error;
import io.gravwell.datastore.protocol.v1.ErrorCode;
import io.gravwell.datastore.protocol.v1.HelloResult;
import io.gravwell.datastore.protocol.v1.Identity;
import io.gravwell.datastore.protocol.v1.Member;
import io.gravwell.datastore.protocol.v1.Pong;
import io.gravwell.datastore.protocol.v1.ReadConsistency;
import io.gravwell.datastore.protocol.v1.ReadOptions;
import io.gravwell.datastore.protocol.v1.Request;
import io.gravwell.datastore.protocol.v1.Response;
import io.gravwell.datastore.protocol.v1.SnapshotResult;
import io.gravwell.datastore.protocol.v1.StatusResult;
import io.gravwell.datastore.protocol.wire.Frames;
import io.gravwell.datastore.statemachine.DatastoreStateMachine;
import io.gravwell.datastore.statemachine.v1.LogEntry;
import io.gravwell.datastore.statemachine.v1.Query;
import io.gravwell.datastore.statemachine.v1.QueryResult;
import io.gravwell.datastore.statemachine.v1.Stats;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * Maps wire requests onto Raft: writes become log entries, reads become state-machine queries. Nothing
 * here blocks; every path returns a future that completes on a non-Netty thread.
 */
public final class DatastoreService implements RequestService {
  private static final int BARRIER_ATTEMPTS = 5;
  private final RaftGateway raft;
  private final DatastoreStateMachine stateMachine;
  private final Clock clock;
  private final int maxEntryBytes;
  private final int maxFrameBytes;
  private final Duration atLeastWait;
  private final String version;
  private final WatchHub watches;
  private final WriteBatcher batcher;
  private final Membership membership;
  private final BackupStreams backups;

  public DatastoreService(RaftGateway raft, DatastoreStateMachine stateMachine, Clock clock,
      int maxEntryBytes, int maxFrameBytes, Duration atLeastWait, String version, WatchHub watches,
      Membership membership, BackupStreams backups) {
    this.membership = membership;
    this.raft = raft;
    this.stateMachine = stateMachine;
    this.clock = clock;
    this.maxEntryBytes = maxEntryBytes;
    this.maxFrameBytes = maxFrameBytes;
    this.atLeastWait = atLeastWait;
    this.version = version;
    this.watches = watches;
    this.backups = backups;
    // One entry in flight per node: what each entry costs (append, fsync, replication, an apply transaction
    // on every member, the forward from a follower) is paid per entry, and the node is CPU-bound long before
    // the disk or the network is. Writes that arrive meanwhile leave together as the next entry. At C=64 this
    // doubled puts/s against four in flight (docs/benchmarks.md, session 8); a lone writer still goes at once.
    this.batcher = new WriteBatcher(raft::write, clock::millis, 1, maxEntryBytes, 1024);
  }

  @Override
  public HelloResult describe() {
    RaftStatus s;
    try {
      s = raft.status();
    } catch (DatastoreException closed) {
      // A node removed from the cluster still answers Hello, naming itself and no members.
      return HelloResult.newBuilder().setNodeId(raft.self().toString()).setServerVersion(version)
          .setMaxFrameBytes(maxFrameBytes).setMaxEntryBytes(maxEntryBytes).build();
    }
    HelloResult.Builder b = HelloResult.newBuilder()
        .setNodeId(s.nodeId())
        .setLeaderId(s.leaderId())
        .setServerVersion(version)
        .setMaxFrameBytes(maxFrameBytes)
        .setMaxEntryBytes(maxEntryBytes);
    s.members().forEach(m -> b.addMembers(member(m)));
    return b.build();
  }

  @Override
  public Identity identity() {
    return stateMachine.currentIdentity();
  }

  @Override
  public CompletableFuture<Response> handle(Request request) {
    try {
      CompletableFuture<Response> answer = switch (request.getBodyCase()) {
        case PUT, DELETE, CAS, BATCH -> write(request);
        case GET -> read(Query.newBuilder().setGet(request.getGet()).build(), request.getGet().getRead());
        case LIST -> read(Query.newBuilder().setList(request.getList()).build(), request.getList().getRead());
        case CHANGES -> read(Query.newBuilder().setChanges(request.getChanges()).build(), request.getChanges().getRead());
        case STATUS -> status();
        case TAKE_SNAPSHOT -> raft.takeSnapshot().thenApply(index -> Response.newBuilder()
            .setIdentity(identity())
            .setSnapshot(SnapshotResult.newBuilder().setSnapshotIndex(index))
            .build());
        case PING -> CompletableFuture.completedFuture(
            Response.newBuilder().setIdentity(identity()).setPong(Pong.getDefaultInstance()).build());
        case MEMBERSHIP -> membership.change(request.getMembership()).thenApply(r -> Response.newBuilder()
            .setIdentity(identity()).setMembership(r).build());
        case HELLO, WATCH, BACKUP, BODY_NOT_SET -> CompletableFuture.completedFuture(
            Frames.error(0, ErrorCode.BAD_REQUEST, "unexpected " + request.getBodyCase()));
      };
      return answer.exceptionally(DatastoreService::errorResponse);
    } catch (DatastoreException e) {
      return CompletableFuture.completedFuture(errorResponse(e));
    }
  }

  @Override
  public AutoCloseable watch(long afterRevision, java.util.function.Consumer<Response> sink) {
    return watches.watch(afterRevision, sink);
  }

  @Override
  public void backup(io.gravwell.datastore.protocol.v1.Backup request, io.gravwell.datastore.node.net.ResponseStream out) {
    if (!stateMachine.hasIdentity()) {
      backups.start(request, out);
      return;
    }
    // A follower may trail the leader: a ReadIndex round first makes this node apply everything committed
    // when the backup was asked for, so the archive holds every write acknowledged before it.
    currentBarrier(BARRIER_ATTEMPTS).whenComplete((ignored, error) -> {
          if (error == null) {
            backups.start(request, out);
          } else {
            Response e = errorResponse(error);
            out.send(Frames.error(0, e.getError().getCode(), "node " + raft.self()
                + " could not confirm it holds every acknowledged write, so it took no backup: "
                + e.getError().getMessage() + "; retry, or ask another node with -c/--endpoint"));
          }
        });
  }

  /**
   * A ReadIndex round, retried a few times a second apart: right after a restart or an election a node
   * does not know the leader yet, and a backup asked for then should wait a moment rather than fail.
   */
  private CompletableFuture<QueryResult> currentBarrier(int attemptsLeft) {
    return raft.readLinearizable(Query.newBuilder().setStats(Stats.getDefaultInstance()).build())
        .handle((r, error) -> {
          if (error == null || attemptsLeft <= 1) {
            return error == null ? CompletableFuture.completedFuture(r) : CompletableFuture.<QueryResult>failedFuture(error);
          }
          return CompletableFuture.supplyAsync(() -> null, CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS))
              .thenCompose(ignored -> currentBarrier(attemptsLeft - 1));
        })
        .thenCompose(f -> f);
  }

  private CompletableFuture<Response> write(Request request) {
    requireIdentity();
    Batch batch = WriteStamper.toBatch(request, clock.millis());
    if (batch.getMutationsCount() == 0) {
      throw new DatastoreException(ErrorCode.BAD_REQUEST, "a batch needs at least one mutation");
    }
    int size = LogEntry.newBuilder().setTimestampMs(clock.millis()).setWrite(batch).build().getSerializedSize();
    if (size > maxEntryBytes) {
      // Refused before it reaches the log: an entry above Ratis' appender limit makes the leader step
      // down and the client retry forever.
      throw new DatastoreException(ErrorCode.ENTRY_TOO_LARGE, "write of " + size
          + " bytes exceeds Datastore-Max-Entry-Size (" + maxEntryBytes + " bytes); split it or send the content in chunks");
    }
    return batcher.submit(batch);
  }

  private CompletableFuture<Response> read(Query query, ReadOptions options) {
    requireIdentity();
    CompletableFuture<QueryResult> result = options.getConsistency() == ReadConsistency.AT_LEAST
        ? raft.readAtLeast(query, options.getMinRevision(), atLeastWait)
        : raft.readLinearizable(query);
    return result.thenApply(DatastoreService::fromQuery);
  }

  private CompletableFuture<Response> status() {
    RaftStatus s = raft.status();
    return raft.readLocal(Query.newBuilder().setStats(Stats.getDefaultInstance()).build())
        .thenApply(q -> {
          StatusResult.Builder b = StatusResult.newBuilder()
              .setNodeId(s.nodeId())
              .setRole(s.role())
              .setTerm(s.term())
              .setLeaderId(s.leaderId())
              .setCommitIndex(s.commitIndex())
              .setAppliedIndex(s.appliedIndex())
              .setLastSnapshotIndex(q.getStats().getLastSnapshotIndex())
              .setObjectCount(q.getStats().getObjectCount())
              .setTombstoneCount(q.getStats().getTombstoneCount())
              .setInConfiguration(s.inConfiguration())
              .setClientAddress(raft.clientAddress(s.nodeId()))
              .setLastLogIndex(s.lastLogIndex());
          s.members().forEach(m -> b.addMembers(member(m)));
          return Response.newBuilder().setIdentity(q.getIdentity()).setStatus(b).build();
        });
  }

  private void requireIdentity() {
    if (!stateMachine.hasIdentity()) {
      throw new DatastoreException(ErrorCode.CLUSTER_INITIALIZING,
          "the cluster has not committed its identity yet; retry shortly");
    }
  }

  private static Member member(RaftStatus.MemberInfo m) {
    Member.Builder b = Member.newBuilder().setId(m.id()).setRaftAddress(m.raftAddress())
        .setClientAddress(m.clientAddress()).setRole(m.role());
    m.matchIndex().ifPresent(b::setMatchIndex);
    m.lastResponseMs().ifPresent(b::setLastResponseMs);
    return b.build();
  }

  private static Response fromQuery(QueryResult r) {
    Response.Builder b = Response.newBuilder().setIdentity(r.getIdentity());
    if (r.hasError()) {
      return b.setError(r.getError()).build();
    }
    return switch (r.getBodyCase()) {
      case GET -> b.setGet(r.getGet()).build();
      case LIST -> b.setList(r.getList()).build();
      case CHANGES -> b.setChanges(r.getChanges()).build();
      case STATS, BODY_NOT_SET -> b.setError(Error.newBuilder().setCode(ErrorCode.INTERNAL)
          .setMessage("unexpected query answer " + r.getBodyCase())).build();
    };
  }

  private static Response errorResponse(Throwable t) {
    Throwable cause = t;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    DatastoreException e = cause instanceof DatastoreException d ? d
        : new DatastoreException(ErrorCode.INTERNAL, cause.getClass().getSimpleName() + ": " + cause.getMessage());
    return Frames.error(0, e.code(), e.detail());
  }
}
