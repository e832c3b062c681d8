package io.gravwell.datastore.node.raft;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.exceptions.LeaderNotReadyException;
import org.apache.ratis.protocol.exceptions.LeaderSteppingDownException;
import org.apache.ratis.protocol.exceptions.NotLeaderException;
import org.apache.ratis.protocol.exceptions.ResourceUnavailableException;
import org.apache.ratis.protocol.exceptions.ServerNotReadyException;

/**
 * One write's way to the leader under one invocation id (client id and call id), however many servers it
 * is sent to before one commits it.
 *
 * <p>Why the id must not change: a leader that appended the entry and then lost its leadership answers
 * "not leader", yet the entry may still commit under the next leader. Every member records each applied
 * entry's invocation id in Ratis' retry cache, and a new leader serves writes only once it has applied its
 * predecessors' entries; so the same invocation sent to the new leader gets the first outcome back instead
 * of being applied twice. A fresh id (a plain resend) could apply a write twice.
 *
 * <p>This is the retry loop of Ratis' own client, for the one case the gateway cannot give to that client:
 * the first attempt goes to this node's own server in-process, when it is the leader.
 */
final class WriteInvocation {
  /** Sends {@code request} to {@code target}: in-process when it is this node, over gRPC otherwise. */
  interface Transport {
    CompletableFuture<RaftClientReply> send(RaftPeerId target, RaftClientRequest request);
  }

  /** Pause before asking again when there is no new leader to try yet (an election is usually under way). */
  static final long RETRY_PAUSE_MS = 25;

  private final Transport transport;
  private final Supplier<List<RaftPeer>> peers;
  private final LongSupplier nanoTime;
  private final Delays delays;
  private final RaftClientRequest.Builder request;
  private final long deadlineNanos;
  private final CompletableFuture<RaftClientReply> outcome = new CompletableFuture<>();

  /** Where the next attempt runs: after a pause, and never on the Ratis thread that completed the last. */
  interface Delays {
    Executor after(long millis);
  }

  WriteInvocation(Transport transport, Supplier<List<RaftPeer>> peers, LongSupplier nanoTime, Delays delays,
      ClientId clientId, long callId, RaftGroupId group, Message message, long timeoutMs) {
    this.transport = transport;
    this.peers = peers;
    this.nanoTime = nanoTime;
    this.delays = delays;
    this.deadlineNanos = nanoTime.getAsLong() + timeoutMs * 1_000_000;
    this.request = RaftClientRequest.newBuilder()
        .setClientId(clientId)
        .setCallId(callId)
        .setGroupId(group)
        .setMessage(message)
        .setType(RaftClientRequest.writeRequestType())
        .setTimeoutMs(timeoutMs);
  }

  /**
   * Starts at {@code first} and completes with the first reply that is an answer: success, or a failure
   * that asking elsewhere cannot change (the state machine's). Fails with a {@link TimeoutException} once the
   * time is up: the write may or may not have been applied.
   */
  CompletableFuture<RaftClientReply> run(RaftPeerId first) {
    // Not on the caller's thread: that is often a Netty event loop, and an in-process submit runs Ratis'
    // append path (the state machine's startTransaction, the server's lock, the log queue).
    delays.after(0).execute(() -> attempt(first));
    return outcome;
  }

  private void attempt(RaftPeerId target) {
    CompletableFuture<RaftClientReply> sent;
    try {
      sent = transport.send(target, request.setServerId(target).build());
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    sent.whenComplete((reply, error) -> {
      if (error == null && reply.isSuccess()) {
        // On the thread that delivered it: for an in-process write, the apply thread that just applied it.
        // A hand-off here would be one more wake-up on the answer's way back, and wake-ups are most of a
        // lone writer's latency on a busy machine. What is chained on the outcome must not block (parse,
        // answer, hand to the client's event loop); retries and pauses below still leave the Ratis thread.
        outcome.complete(reply);
      } else {
        delays.after(0).execute(() -> next(target, reply, error));
      }
    });
  }

  private void next(RaftPeerId target, RaftClientReply reply, Throwable error) {
    // Ratis' gRPC client delivers "not leader" and "not ready" as exceptions, the server in-process as replies.
    Throwable failure = error != null ? unwrap(error) : reply.getException();
    if (error == null && (reply.isSuccess() || !worthAnotherTry(failure))) {
      outcome.complete(reply);
      return;
    }
    if (nanoTime.getAsLong() - deadlineNanos >= 0) {
      outcome.completeExceptionally(new TimeoutException("no leader committed the write in time; last try at "
          + target + ": " + failure));
      return;
    }
    RaftPeerId suggested = failure instanceof NotLeaderException notLeader && notLeader.getSuggestedLeader() != null
        ? notLeader.getSuggestedLeader().getId() : null;
    if (suggested != null && !suggested.equals(target)) {
      attempt(suggested); // a redirect: no reason to wait
      return;
    }
    // No one named (an election), not ready yet, or unreachable: the same server if it is leading but not
    // ready, otherwise the next member, after a pause.
    RaftPeerId again = failure instanceof LeaderNotReadyException ? target : following(target);
    delays.after(RETRY_PAUSE_MS).execute(() -> attempt(again));
  }

  private static Throwable unwrap(Throwable t) {
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /** Failures that say "not here" or "not now"; anything else (the state machine's error) is the answer. */
  private static boolean worthAnotherTry(Throwable e) {
    return e instanceof NotLeaderException || e instanceof LeaderNotReadyException
        || e instanceof LeaderSteppingDownException || e instanceof ResourceUnavailableException
        || e instanceof ServerNotReadyException;
  }

  /** The member after {@code target} in the current configuration, round the ring. */
  private RaftPeerId following(RaftPeerId target) {
    List<RaftPeerId> ids = new ArrayList<>();
    peers.get().forEach(p -> ids.add(p.getId()));
    if (ids.isEmpty()) {
      return target;
    }
    int i = ids.indexOf(target);
    return ids.get((i + 1) % ids.size());
  }
}
