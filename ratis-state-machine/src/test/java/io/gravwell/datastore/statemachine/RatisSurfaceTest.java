package io.gravwell.datastore.statemachine;

import static io.gravwell.datastore.statemachine.Entries.key;
import static io.gravwell.datastore.statemachine.Entries.put;
import static io.gravwell.datastore.statemachine.Entries.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.MessageLite;
import io.gravwell.datastore.protocol.v1.ErrorCode;
import io.gravwell.datastore.protocol.v1.Get;
import io.gravwell.datastore.protocol.v1.Outcome;
import io.gravwell.datastore.statemachine.v1.EntryResult;
import io.gravwell.datastore.statemachine.v1.Query;
import io.gravwell.datastore.statemachine.v1.QueryResult;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;

/** The state machine through the calls Ratis makes. */
class RatisSurfaceTest extends MachineTest {


  TransactionContext transaction(long term, long index, byte[] data) {
    return Machine.transaction(m.sm, term, index, data);
  }

  static Message message(MessageLite proto) {
    return StateMachineMessages.toMessage(proto);
  }

  @Test
  void applyTransactionAnswersWithAnEntryResultAndAdvancesBothPositionsAtCommit() throws Exception {
    byte[] entry = write(10, put(key("a"), "v", 1, "ws")).toByteArray();

    Message reply = m.sm.applyTransaction(transaction(3, 7, entry)).get();

    EntryResult r = StateMachineMessages.entryResult(reply);
    assertThat(r.getWrite().getRevision()).isEqualTo(7);
    assertThat(r.getWrite().getResults(0).getOutcome()).isEqualTo(Outcome.APPLIED);
    // The answer may come before the commit window closes; the positions follow within the commit delay.
    await().atMost(Duration.ofSeconds(5)).until(() -> m.sm.appliedIndex() == 7);
    assertThat(m.sm.getLastAppliedTermIndex()).isEqualTo(TermIndex.valueOf(3, 7));
  }

  @Test
  @org.junit.jupiter.api.Timeout(30)
  void entriesQueuedBehindEachOtherAreAllAppliedInLogOrderWithEntriesWithoutDataBetween() throws Exception {
    java.util.List<CompletableFuture<Message>> replies = new java.util.ArrayList<>();
    long index = 0;
    for (int i = 1; i <= 300; i++) {
      if (i % 50 == 0) {
        m.sm.notifyTermIndexUpdated(1, ++index); // a configuration entry between data entries
      }
      replies.add(m.sm.applyTransaction(transaction(1, ++index,
          write(10 + i, put(key("k" + (i % 7)), "v" + i, i, "ws")).toByteArray())));
    }
    long last = index;
    // A read released by Ratis right after the last entry was handed over must already see it.
    QueryResult read = StateMachineMessages.queryResult(
        m.sm.query(message(Query.newBuilder().setGet(Get.newBuilder().setKey(key("k" + (300 % 7)))).build()))
            .get(10, java.util.concurrent.TimeUnit.SECONDS));
    assertThat(read.getGet().getObject().getPayload().toStringUtf8()).isEqualTo("v300");

    long expectedRevision = 0;
    for (CompletableFuture<Message> reply : replies) {
      EntryResult r = StateMachineMessages.entryResult(reply.get(10, java.util.concurrent.TimeUnit.SECONDS));
      assertThat(r.getWrite().getResults(0).getOutcome()).isEqualTo(Outcome.APPLIED);
      assertThat(r.getWrite().getRevision()).as("in log order").isGreaterThan(expectedRevision);
      expectedRevision = r.getWrite().getRevision();
    }
    assertThat(m.sm.appliedIndex()).isEqualTo(last);
    m = m.restart();
    assertThat(m.sm.appliedIndex()).as("every entry reached the store").isEqualTo(last);
    assertThat(m.sm.dump()).hasSize(7);
  }

  @Test
  void unreadableEntryIsABadRequestThatStillAdvancesThePosition() throws Exception {
    byte[] garbage = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF};

    EntryResult r = StateMachineMessages.entryResult(m.sm.applyTransaction(transaction(1, 1, garbage)).get());

    assertThat(r.getError().getCode()).isEqualTo(ErrorCode.BAD_REQUEST);
    await().atMost(Duration.ofSeconds(5)).until(() -> m.sm.appliedIndex() == 1);
    m = m.restart();
    assertThat(m.sm.appliedIndex()).as("persisted like any entry").isEqualTo(1);
  }

  @Test
  void replayOfAppliedEntriesAfterRestartChangesNothing() {
    m.apply(write(10, put(key("a"), "v1", 1, "ws")));
    m.apply(write(11, put(key("a"), "v2", 2, "ws")));
    var before = m.sm.dump();

    m = m.restart();
    EntryResult replayed = m.apply(write(10, put(key("a"), "v1", 1, "ws")));

    assertThat(replayed.getWrite().getResultsList()).isEmpty();
    assertThat(replayed.getWrite().getRevision()).isEqualTo(1);
    assertThat(m.sm.dump()).isEqualTo(before);
    assertThat(m.sm.getLastAppliedTermIndex().getIndex()).as("Ratis' view still moves").isEqualTo(1);
    assertThat(m.sm.appliedIndex()).isEqualTo(2);
  }

  @Test
  void entriesWithoutDataAdvanceTheAppliedPosition() {
    m.apply(write(10, put(key("a"), "v1", 1, "ws")));

    m.sm.notifyTermIndexUpdated(2, 2);

    assertThat(m.sm.appliedIndex()).isEqualTo(2);
    assertThat(m.sm.getLastAppliedTermIndex()).isEqualTo(TermIndex.valueOf(2, 2));
    assertThat(m.sm.currentIdentity().getRevision()).isEqualTo(2);
    m = m.restart();
    assertThat(m.sm.appliedIndex()).as("kept on a clean close").isEqualTo(2);
  }

  @Test
  void queryAnswersAQueryResult() throws Exception {
    m.apply(write(10, put(key("a"), "v1", 1, "ws")));

    Message reply = m.sm.query(message(Query.newBuilder().setGet(Get.newBuilder().setKey(key("a"))).build())).get();

    QueryResult r = StateMachineMessages.queryResult(reply);
    assertThat(r.getGet().getObject().getPayload().toStringUtf8()).isEqualTo("v1");
    assertThat(r.getIdentity().getRevision()).isEqualTo(1);
  }

  @Test
  void unreadableQueryIsABadRequest() throws Exception {
    Message reply = m.sm.query(Message.valueOf(ByteString.copyFrom(new byte[] {(byte) 0xFF}))).get();

    assertThat(StateMachineMessages.queryResult(reply).getError().getCode()).isEqualTo(ErrorCode.BAD_REQUEST);
  }

  @Test
  void staleQueryWaitsForItsMinimumIndex() throws Exception {
    Message get = message(Query.newBuilder().setGet(Get.newBuilder().setKey(key("a"))).build());

    CompletableFuture<Message> pending = m.sm.queryStale(get, 2);
    m.apply(write(10, put(key("a"), "v1", 1, "ws")));
    assertThat(pending).isNotDone();
    m.apply(write(11, put(key("a"), "v2", 2, "ws")));

    await().atMost(Duration.ofSeconds(5)).until(pending::isDone);
    QueryResult r = StateMachineMessages.queryResult(pending.get());
    assertThat(r.getGet().getObject().getPayload().toStringUtf8()).isEqualTo("v2");
    assertThat(r.getIdentity().getRevision()).isGreaterThanOrEqualTo(2);
    assertThat(m.sm.queryStale(get, 1)).isDone();
  }

  @Test
  void pausedMachineFailsAppliesInsteadOfThrowing() {
    m.sm.pause();

    CompletableFuture<Message> f = m.sm.applyTransaction(
        transaction(1, 1, write(10, put(key("a"), "v1", 1, "ws")).toByteArray()));

    assertThat(f).isCompletedExceptionally();
    assertThat(m.sm.queryLocal(Query.newBuilder().setGet(Get.newBuilder().setKey(key("a"))).build())
        .getError().getCode()).isEqualTo(ErrorCode.UNAVAILABLE);
  }

  @Test
  void applyRejectsWhenClosed() {
    m.sm.close();
    assertThatThrownBy(() -> m.sm.apply(1, 1, ByteBuffer.wrap(new byte[0])))
        .isInstanceOf(DatastoreStateMachine.StoreClosedException.class);
  }
}
