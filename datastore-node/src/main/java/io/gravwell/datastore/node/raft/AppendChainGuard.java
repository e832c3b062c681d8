package io.gravwell.datastore.node.raft;

import java.lang.reflect.Field;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.ratis.server.RaftServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one failed log append from failing every later one on a follower.
 *
 * <p>Ratis 3.3.0 runs a follower's log appends one after another by chaining each on the future of the one
 * before (`NavigableIndices`, with `raft.server.log.append-entries.compose.enabled`, the default). A chained
 * step does not run when the step before it failed: it fails with that same error. So after a single append
 * fails, every later append fails too, with the first one's error, until the node restarts; the leader
 * retries forever and the follower never catches up. A chaos run caught it (partition-random-halves, seed
 * 20675398008328): right after a snapshot install moved the follower's log start to 1162, an append of entry
 * 1008 that was already under way failed the log's index check, and the 2,405 appends after it failed with
 * that same "entry 1008" error for the remaining 90 s. Turning composition off is not a way out in 3.3.0:
 * appends then run unordered on the server's thread pool.
 *
 * <p>A failed step has finished, so nothing is left to order after it: {@link #check} puts a completed future
 * in its place, and the next append runs, checked by the log as every append is. Ratis has no API for this,
 * so the chain is reached by reflection; {@code AppendChainGuardTest} fails if a Ratis upgrade moves it or
 * stops failing later appends.
 */
public final class AppendChainGuard {
  private static final Logger LOG = LoggerFactory.getLogger(AppendChainGuard.class);

  private final RaftServer.Division division;
  private final AtomicReference<CompletableFuture<Void>> chain;
  private final Runnable onRestart;

  private AppendChainGuard(RaftServer.Division division, AtomicReference<CompletableFuture<Void>> chain,
      Runnable onRestart) {
    this.division = division;
    this.chain = chain;
    this.onRestart = onRestart;
  }

  /**
   * The guard of a division's append chain, or null (with a warning) if this Ratis has none where 3.3.0
   * has it: with composition off, or after an upgrade that moved it. {@code onRestart} runs after each restart
   * (a metric).
   */
  public static AppendChainGuard of(RaftServer.Division division, Runnable onRestart) {
    try {
      Object indices = field(division, "appendLogTermIndices");
      if (indices == null) {
        return null; // composition off: appends are not chained
      }
      @SuppressWarnings("unchecked")
      AtomicReference<CompletableFuture<Void>> chain = (AtomicReference<CompletableFuture<Void>>) field(indices, "future");
      return new AppendChainGuard(division, chain, onRestart);
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.warn("could not reach the log-append chain of {} ({}): a Ratis upgrade moved it; one failed append"
          + " may then fail every later one on this follower (see AppendChainGuard)", division.getMemberId(),
          e.toString());
      return null;
    }
  }

  /** Restarts the chain if its last step failed. Returns whether it did. */
  public boolean check() {
    CompletableFuture<Void> last = chain.get();
    if (!last.isCompletedExceptionally()) {
      return false;
    }
    // Only the failed step is replaced: an append chained on it since then is left to fail on its own, and
    // the next check replaces that one.
    if (!chain.compareAndSet(last, CompletableFuture.completedFuture(null))) {
      return false;
    }
    LOG.warn("{}: a log append failed ({}); later appends would have failed with it, the chain is restarted",
        division.getMemberId(), cause(last));
    onRestart.run();
    return true;
  }

  private static String cause(CompletableFuture<Void> failed) {
    try {
      failed.join();
      return "no error";
    } catch (CompletionException e) {
      Throwable t = e.getCause() != null ? e.getCause() : e;
      String message = String.valueOf(t.getMessage());
      int newline = message.indexOf('\n');
      return t.getClass().getSimpleName() + ": " + (newline < 0 ? message : message.substring(0, newline));
    } catch (RuntimeException e) {
      return e.toString();
    }
  }

  private static Object field(Object target, String name) throws ReflectiveOperationException {
    Field f = target.getClass().getDeclaredField(name);
    f.setAccessible(true);
    return f.get(target);
  }
}
