package io.gravwell.datastore.client;

import io.gravwell.datastore.protocol.client.DatastoreException;
import io.gravwell.datastore.protocol.v1.Batch;
import io.gravwell.datastore.protocol.v1.Identity;
import io.gravwell.datastore.protocol.v1.ChangesSince;
import io.gravwell.datastore.protocol.v1.Error;
import io.gravwell.datastore.protocol.v1.ErrorCode;
import io.gravwell.datastore.protocol.v1.List;
import io.gravwell.datastore.protocol.v1.Pong;
import io.gravwell.datastore.protocol.v1.Response;
import io.gravwell.datastore.statemachine.InProcessReplica;
import io.gravwell.datastore.statemachine.v1.EntryResult;
import io.gravwell.datastore.statemachine.v1.Query;
import io.gravwell.datastore.statemachine.v1.QueryResult;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The "cluster" of sockets-free tests: a {@link RemoteDatastore} over an {@link InProcessReplica}, answering
 * the way a node's DatastoreService does (identity on every answer, errors as answers). It can be made
 * unreachable, pointed at another replica (a foreign cluster), and it counts calls per method.
 */
public class InProcessRemote implements RemoteDatastore {

  private final Clock clock;
  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  private volatile InProcessReplica replica;
  private volatile boolean reachable = true;

  public InProcessRemote(InProcessReplica replica, Clock clock) {
    this.replica = replica;
    this.clock = clock;
  }

  /** While false, every call throws UNAVAILABLE, as the real client does when no node answers. */
  public void setReachable(boolean reachable) {
    this.reachable = reachable;
  }

  public boolean isReachable() {
    return reachable;
  }

  /** Re-points this webserver at another cluster, as an edited Datastore= line would. */
  public void pointAt(InProcessReplica other) {
    this.replica = other;
  }

  public int calls(String method) {
    AtomicInteger n = calls.get(method);
    return n == null ? 0 : n.get();
  }

  public int totalCalls() {
    return calls.values().stream().mapToInt(AtomicInteger::get).sum();
  }

  public void resetCalls() {
    calls.clear();
  }

  private InProcessReplica enter(String method) {
    calls.computeIfAbsent(method, m -> new AtomicInteger()).incrementAndGet();
    if (!reachable) {
      throw new DatastoreException(ErrorCode.UNAVAILABLE, "no datastore node answered (test)");
    }
    return replica;
  }

  @Override
  public Response ping(Identity lastSynced) {
    InProcessReplica r = enter("ping");
    return Response.newBuilder().setIdentity(r.identity()).setPong(Pong.getDefaultInstance()).build();
  }

  @Override
  public Response changesSince(long afterRevision, int limit, long minRevision) {
    InProcessReplica r = enter("changesSince");
    Response refused = refuseRead(r, minRevision);
    if (refused != null) {
      return refused;
    }
    return fromQuery(r.query(Query.newBuilder()
        .setChanges(ChangesSince.newBuilder().setAfterRevision(afterRevision).setLimit(limit))
        .build()));
  }

  @Override
  public Response list(String domain, String kind, String pageToken, int limit, long minRevision) {
    InProcessReplica r = enter("list");
    Response refused = refuseRead(r, minRevision);
    if (refused != null) {
      return refused;
    }
    return fromQuery(r.query(Query.newBuilder()
        .setList(List.newBuilder().setDomain(domain).setKind(kind).setPageToken(pageToken).setLimit(limit))
        .build()));
  }

  @Override
  public Response write(Batch batch) {
    InProcessReplica r = enter("write");
    if (!r.hasIdentity()) {
      return error(ErrorCode.CLUSTER_INITIALIZING, "the cluster has not committed its identity yet");
    }
    EntryResult result = r.write(batch, clock.millis());
    Response.Builder b = Response.newBuilder().setIdentity(result.getIdentity());
    return result.hasError() ? b.setError(result.getError()).build() : b.setWrite(result.getWrite()).build();
  }

  @Override
  public AutoCloseable watch(long afterRevision, Consumer<Identity> onChange) {
    InProcessReplica r = enter("watch");
    return r.onWrite(revision -> {
      if (reachable) {
        onChange.accept(r.identity().toBuilder().setRevision(revision).build());
      }
    });
  }

  @Override
  public void close() {}

  private static Response refuseRead(InProcessReplica r, long minRevision) {
    if (!r.hasIdentity()) {
      return error(ErrorCode.CLUSTER_INITIALIZING, "the cluster has not committed its identity yet");
    }
    if (r.appliedIndex() < minRevision) {
      return error(ErrorCode.REVISION_NOT_REACHED, "applied " + r.appliedIndex() + " < " + minRevision);
    }
    return null;
  }

  private static Response fromQuery(QueryResult q) {
    Response.Builder b = Response.newBuilder().setIdentity(q.getIdentity());
    if (q.hasError()) {
      return b.setError(q.getError()).build();
    }
    return switch (q.getBodyCase()) {
      case LIST -> b.setList(q.getList()).build();
      case CHANGES -> b.setChanges(q.getChanges()).build();
      default -> b.setError(Error.newBuilder().setCode(ErrorCode.INTERNAL).setMessage("unexpected " + q.getBodyCase())).build();
    };
  }

  private static Response error(ErrorCode code, String message) {
    return Response.newBuilder().setError(Error.newBuilder().setCode(code).setMessage(message)).build();
  }
}
