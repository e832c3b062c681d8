package io.gravwell.datastore.node.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.exceptions.LeaderNotReadyException;
import org.apache.ratis.protocol.exceptions.NotLeaderException;
import org.apache.ratis.protocol.exceptions.RaftException;
import org.apache.ratis.protocol.exceptions.StateMachineException;
import org.junit.jupiter.api.Test;

/**
 * The retry rule of one write invocation, with servers the test scripts: no Raft, no threads, a clock that
 * moves only when read.
 */
class WriteInvocationTest {
  private static final RaftGroupId GROUP = RaftGroupId.randomId();
  private static final RaftPeer A = peer("a");
  private static final RaftPeer B = peer("b");
  private static final RaftPeer C = peer("c");
  private static final ClientId CLIENT = ClientId.randomId();

  private record Sent(RaftPeerId target, RaftClientRequest request) {}

  private final List<Sent> sent = new ArrayList<>();
  private final Deque<Function<RaftClientRequest, CompletableFuture<RaftClientReply>>> script = new ArrayDeque<>();
  private final List<Long> pauses = new ArrayList<>();
  private final AtomicLong nanos = new AtomicLong();

  private CompletableFuture<RaftClientReply> run(RaftPeer first, long timeoutMs) {
    WriteInvocation.Transport transport = (target, request) -> {
      sent.add(new Sent(target, request));
      return script.isEmpty() ? answer(request, new NotLeaderException(member(target), null, List.of()))
          : script.poll().apply(request);
    };
    return new WriteInvocation(transport, () -> List.of(A, B, C), () -> nanos.addAndGet(1_000_000),
        ms -> {
          pauses.add(ms);
          nanos.addAndGet(ms * 1_000_000);
          return Runnable::run;
        }, CLIENT, 42, GROUP, Message.valueOf("entry"), timeoutMs).run(first.getId());
  }

  @Test
  void followsARedirectAtOnceUnderTheSameInvocationId() throws Exception {
    script.add(r -> answer(r, new NotLeaderException(member(A.getId()), B, List.of(A, B, C))));
    script.add(WriteInvocationTest::success);

    RaftClientReply reply = run(A, 1_000).get();

    assertThat(reply.isSuccess()).isTrue();
    assertThat(sent).extracting(Sent::target).containsExactly(A.getId(), B.getId());
    assertThat(sent).allSatisfy(s -> {
      assertThat(s.request().getClientId()).isEqualTo(CLIENT);
      assertThat(s.request().getCallId()).as("the retry cache matches on client id and call id").isEqualTo(42);
      assertThat(s.request().getServerId()).isEqualTo(s.target());
      assertThat(s.request().is(org.apache.ratis.proto.RaftProtos.RaftClientRequestProto.TypeCase.WRITE)).isTrue();
    });
    assertThat(pauses).as("only the hand-offs to the executor; no pause before a named leader").containsOnly(0L);
  }

  @Test
  void followsARedirectThatArrivesAsAnException() throws Exception {
    // Ratis' gRPC client completes the future exceptionally on "not leader" instead of returning the reply.
    script.add(r -> CompletableFuture.failedFuture(
        new java.util.concurrent.CompletionException(new NotLeaderException(member(B.getId()), C, List.of(A, B, C)))));
    script.add(WriteInvocationTest::success);

    assertThat(run(B, 1_000).get().isSuccess()).isTrue();
    assertThat(sent).extracting(Sent::target).containsExactly(B.getId(), C.getId());
  }

  @Test
  void asksALeaderThatIsNotReadyAgainAfterAPause() throws Exception {
    script.add(r -> answer(r, new LeaderNotReadyException(member(A.getId()))));
    script.add(WriteInvocationTest::success);

    assertThat(run(A, 1_000).get().isSuccess()).isTrue();
    assertThat(sent).extracting(Sent::target).containsExactly(A.getId(), A.getId());
    assertThat(pauses).contains(WriteInvocation.RETRY_PAUSE_MS);
  }

  @Test
  void anUnreachableServerIsFollowedByTheNextMember() throws Exception {
    script.add(r -> CompletableFuture.failedFuture(new IOException("connection refused")));
    script.add(r -> answer(r, new NotLeaderException(member(C.getId()), null, List.of(A, B, C))));
    script.add(WriteInvocationTest::success);

    assertThat(run(B, 1_000).get().isSuccess()).isTrue();
    assertThat(sent).extracting(Sent::target).containsExactly(B.getId(), C.getId(), A.getId());
  }

  @Test
  void theStateMachinesErrorIsTheAnswerAndIsNotRetried() throws Exception {
    script.add(r -> answer(r, new StateMachineException("apply refused")));
    script.add(WriteInvocationTest::success);

    RaftClientReply reply = run(A, 1_000).get();

    assertThat(reply.isSuccess()).isFalse();
    assertThat(reply.getException()).isInstanceOf(StateMachineException.class);
    assertThat(sent).hasSize(1);
  }

  @Test
  void aSuccessCompletesOnTheThreadThatDeliversItWithoutAnotherHandOff() throws Exception {
    CompletableFuture<RaftClientReply> delivered = new CompletableFuture<>();
    script.add(r -> delivered);
    CompletableFuture<RaftClientReply> outcome = run(A, 1_000);
    assertThat(pauses).as("the first attempt leaves the caller's thread").containsExactly(0L);

    // Completed here, as the apply thread completes an in-process write.
    delivered.complete(success(sent.get(0).request()).join());

    assertThat(outcome).isCompleted();
    assertThat(outcome.get().isSuccess()).isTrue();
    assertThat(pauses).as("no hand-off between the reply and the outcome").containsExactly(0L);
  }

  @Test
  void aFailureLeavesTheThreadThatDeliveredIt() {
    CompletableFuture<RaftClientReply> delivered = new CompletableFuture<>();
    script.add(r -> delivered);
    script.add(WriteInvocationTest::success);
    CompletableFuture<RaftClientReply> outcome = run(A, 1_000);

    delivered.complete(answer(sent.get(0).request(), new NotLeaderException(member(A.getId()), B, List.of())).join());

    assertThat(outcome).isCompleted();
    assertThat(pauses).as("the retry runs on the delays' executor, not on the delivering thread")
        .containsExactly(0L, 0L);
    assertThat(sent).extracting(Sent::target).containsExactly(A.getId(), B.getId());
  }

  @Test
  void givesUpWithATimeoutWhenNoLeaderAppearsInTime() {
    CompletableFuture<RaftClientReply> outcome = run(A, 500);

    assertThat(outcome).isCompletedExceptionally();
    assertThat(outcome).failsWithin(java.time.Duration.ZERO).withThrowableOfType(ExecutionException.class)
        .withCauseInstanceOf(TimeoutException.class);
    assertThat(sent.size()).as("kept trying the members until the deadline").isBetween(5, 30);
    assertThat(sent).extracting(Sent::target).contains(A.getId(), B.getId(), C.getId());
  }

  private static CompletableFuture<RaftClientReply> success(RaftClientRequest r) {
    return CompletableFuture.completedFuture(reply(r).setSuccess().setMessage(Message.valueOf("ok")).build());
  }

  private static CompletableFuture<RaftClientReply> answer(RaftClientRequest r, RaftException e) {
    return CompletableFuture.completedFuture(reply(r).setException(e).build());
  }

  private static RaftClientReply.Builder reply(RaftClientRequest r) {
    return RaftClientReply.newBuilder().setRequest(r);
  }

  private static RaftGroupMemberId member(RaftPeerId id) {
    return RaftGroupMemberId.valueOf(id, GROUP);
  }

  private static RaftPeer peer(String id) {
    return RaftPeer.newBuilder().setId(id).setAddress("127.0.0.1:1").build();
  }
}
