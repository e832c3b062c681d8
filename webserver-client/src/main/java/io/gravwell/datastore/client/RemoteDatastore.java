package io.gravwell.datastore.client;

import io.gravwell.datastore.protocol.v1.Batch;
import io.gravwell.datastore.protocol.v1.Identity;
import io.gravwell.datastore.protocol.v1.Response;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * What the sync agent needs from the datastore cluster. The real one ({@code cluster.ClusterClient}) talks
 * to the nodes; sockets-free tests drive a state machine in-process.
 *
 * <p>Every method returns the node's whole {@link Response}: its {@code identity} is what the identity
 * check reads, and an error response (e.g. COMPACTED) is an answer, not a failure. Methods throw
 * {@link io.gravwell.datastore.protocol.client.DatastoreException} with code UNAVAILABLE (or TIMEOUT for a
 * write of unknown outcome) when no node could answer.
 */
public interface RemoteDatastore extends AutoCloseable {
  /**
   * The cluster's current identity, cheaply (a Ping). {@code lastSynced} (null if never synced) is the
   * history the caller last synced with: an answer from that same history but behind its revision comes
   * from a lagging node, so another node is asked first; only if every node is behind is it returned.
   */
  Response ping(Identity lastSynced);

  /**
   * Changes (including tombstones) with mod_rev > afterRevision, in revision order, from a node that has
   * applied at least minRevision.
   */
  Response changesSince(long afterRevision, int limit, long minRevision);

  /** One page of a (domain, kind) listing, tombstones excluded, from a node at minRevision or later. */
  Response list(String domain, String kind, String pageToken, int limit, long minRevision);

  /** Writes a batch in one Raft entry; each mutation gets its own outcome. */
  Response write(Batch batch);

  /**
   * {@link #write} without waiting, so that several batches can be in flight; they may apply in any order.
   * The future fails with what write would throw. By default the write is done before this returns (a
   * sockets-free remote stays deterministic).
   */
  default CompletableFuture<Response> writeAsync(Batch batch) {
    try {
      return CompletableFuture.completedFuture(write(batch));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Rings {@code onChange} (from any thread) whenever data changes after afterRevision, until the returned
   * handle is closed, with the identity of the history that changed and the revision of the change. Best
   * effort: the periodic sync is the safety net.
   */
  AutoCloseable watch(long afterRevision, Consumer<Identity> onChange);

  /**
   * The largest write the cluster accepts (Datastore-Max-Entry-Size, from the nodes' HelloResult), or 0
   * while unknown. Pushed batches stay below it; a batch above it is refused with ENTRY_TOO_LARGE.
   */
  default int maxEntryBytes() {
    return 0;
  }

  @Override
  void close();
}
