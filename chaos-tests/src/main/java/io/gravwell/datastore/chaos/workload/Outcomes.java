package io.gravwell.datastore.chaos.workload;

import io.gravwell.datastore.protocol.client.DatastoreException;
import io.gravwell.datastore.protocol.v1.ErrorCode;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Whether a failed operation certainly had no effect. Only errors the node returns before anything is
 * logged count as a definite failure; a timeout, a lost connection, UNAVAILABLE (the node's Raft client
 * may have handed the entry to a leader before giving up) and anything unexpected are unknown.
 */
final class Outcomes {
  private static final Set<ErrorCode> DEFINITE = EnumSet.of(ErrorCode.BAD_REQUEST, ErrorCode.AUTH_FAILED,
      ErrorCode.NOT_AUTHENTICATED, ErrorCode.UNSUPPORTED_VERSION, ErrorCode.ENTRY_TOO_LARGE,
      ErrorCode.CLUSTER_INITIALIZING, ErrorCode.NOT_LEADER, ErrorCode.REVISION_NOT_REACHED);

  private Outcomes() {}

  static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /** True when {@code error} proves the write was not applied. */
  static boolean definitelyFailed(Throwable error) {
    Throwable t = unwrap(error);
    return t instanceof NodeClient.NotSent || t instanceof DatastoreException d && DEFINITE.contains(d.code());
  }

  static String describe(Throwable error) {
    Throwable t = unwrap(error);
    return t instanceof DatastoreException d ? d.code() + " " + d.detail() : t.getClass().getSimpleName() + ": " + t.getMessage();
  }
}
