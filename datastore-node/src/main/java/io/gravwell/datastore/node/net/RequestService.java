package io.gravwell.datastore.node.net;

import io.gravwell.datastore.protocol.v1.HelloResult;
import io.gravwell.datastore.protocol.v1.Identity;
import io.gravwell.datastore.protocol.v1.Request;
import io.gravwell.datastore.protocol.v1.Response;
import java.util.concurrent.CompletableFuture;

/**
 * What the client port asks of the node once a connection is authenticated. Implementations must not
 * block the calling thread (a Netty event loop): every answer comes back as a future.
 */
public interface RequestService {
  /** This node's view of the cluster, for the Hello answer. Cheap, in memory. */
  HelloResult describe();

  /** The identity to stamp on answers that do not come from the state machine. Cheap, in memory. */
  Identity identity();

  /** Answers one authenticated request other than Hello and Watch. The returned response's id is ignored. */
  CompletableFuture<Response> handle(Request request);

  /**
   * Starts pushing change notifications for revisions after {@code afterRevision} to {@code sink} (from any
   * thread). Closing the result stops them.
   */
  AutoCloseable watch(long afterRevision, java.util.function.Consumer<Response> sink);

  /**
   * Streams a backup archive of this node's state to {@code out} (from any thread; never on the caller's).
   * Nodes that do not serve backups answer with one error.
   */
  default void backup(io.gravwell.datastore.protocol.v1.Backup request, ResponseStream out) {
    out.send(io.gravwell.datastore.protocol.wire.Frames.error(0,
        io.gravwell.datastore.protocol.v1.ErrorCode.BAD_REQUEST, "this node does not serve backups"));
  }
}
