package io.gravwell.datastore.node.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.gravwell.datastore.protocol.v1.Batch;
import io.gravwell.datastore.protocol.v1.Error;
import io.gravwell.datastore.protocol.v1.ErrorCode;
import io.gravwell.datastore.protocol.v1.Identity;
import io.gravwell.datastore.protocol.v1.Mutation;
import io.gravwell.datastore.protocol.v1.ObjectKey;
import io.gravwell.datastore.protocol.v1.Put;
import io.gravwell.datastore.protocol.v1.Response;
import io.gravwell.datastore.protocol.v1.StoredObject;
import io.gravwell.datastore.protocol.v1.WriteResult;
import io.gravwell.datastore.statemachine.v1.EntryResult;
import io.gravwell.datastore.statemachine.v1.LogEntry;
import io.gravwell.datastore.statemachine.v1.WriteGroupResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Grouping decisions without Raft: the "log" here only records entries and lets the test commit them. */
class WriteBatcherTest {
  private record Sent(LogEntry entry, CompletableFuture<EntryResult> result) {}

  private final List<Sent> log = new ArrayList<>();
  private WriteBatcher batcher(int maxInFlight, int maxEntryBytes) {
    return new WriteBatcher(e -> {
      CompletableFuture<EntryResult> f = new CompletableFuture<>();
      log.add(new Sent(e, f));
      return f;
    }, () -> 1000L, maxInFlight, maxEntryBytes, 1024);
  }

  private static Batch put(String id, int payloadBytes) {
    return Batch.newBuilder().addMutations(Mutation.newBuilder().setPut(Put.newBuilder().setObject(
        StoredObject.newBuilder().setKey(ObjectKey.newBuilder().setDomain("d").setKind("k").setId(id))
            .setPayload(ByteString.copyFrom(new byte[payloadBytes])).setUpdatedMs(1)))).build();
  }

  /** Commits entry i as apply would: one WriteResult per batch, revision = 100 + i. */
  private void commit(int i) {
    Sent s = log.get(i);
    long revision = 100 + i;
    Identity id = Identity.newBuilder().setClusterId("c").setIncarnation(1).setRevision(revision).build();
    EntryResult.Builder r = EntryResult.newBuilder().setIdentity(id);
    if (s.entry().hasWriteGroup()) {
      WriteGroupResult.Builder g = WriteGroupResult.newBuilder();
      s.entry().getWriteGroup().getBatchesList().forEach(b -> g.addResults(WriteResult.newBuilder().setRevision(revision)));
      r.setWriteGroup(g);
    } else {
      r.setWrite(WriteResult.newBuilder().setRevision(revision));
    }
    s.result().complete(r.build());
  }

  @Test
  void aLoneWriteGoesOutAtOnceAsAPlainEntry() {
    WriteBatcher b = batcher(4, 1 << 20);
    CompletableFuture<Response> answer = b.submit(put("a", 10));
    assertThat(log).hasSize(1);
    assertThat(log.get(0).entry().hasWrite()).isTrue();
    commit(0);
    assertThat(answer.join().getWrite().getRevision()).isEqualTo(100);
  }

  @Test
  void writesArrivingWhileThePipelineIsFullLeaveTogetherInOneEntry() {
    WriteBatcher b = batcher(2, 1 << 20);
    b.submit(put("a", 10));
    b.submit(put("b", 10));
    List<CompletableFuture<Response>> waiting = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      waiting.add(b.submit(put("q" + i, 10)));
    }
    assertThat(log).hasSize(2);
    assertThat(b.queued()).isEqualTo(5);

    commit(0);
    assertThat(log).hasSize(3);
    LogEntry grouped = log.get(2).entry();
    assertThat(grouped.getWriteGroup().getBatchesList()).extracting(x -> x.getMutations(0).getPut().getObject().getKey().getId())
        .containsExactly("q0", "q1", "q2", "q3", "q4");
    commit(2);
    assertThat(waiting).allSatisfy(f -> assertThat(f.join().getWrite().getRevision()).isEqualTo(102));
  }

  @Test
  void aGroupNeverExceedsTheEntryLimit() {
    WriteBatcher b = batcher(1, 2500);
    b.submit(put("first", 10));
    for (int i = 0; i < 4; i++) {
      b.submit(put("big" + i, 1000));
    }
    commit(0);
    assertThat(log.get(1).entry().getWriteGroup().getBatchesCount()).isEqualTo(2);
    assertThat(log.get(1).entry().getSerializedSize()).isLessThanOrEqualTo(2500);
    commit(1);
    assertThat(log.get(2).entry().getWriteGroup().getBatchesCount()).isEqualTo(2);
  }

  @Test
  void anEntryErrorOrFailureReachesEveryWriterInTheGroup() {
    WriteBatcher b = batcher(1, 1 << 20);
    CompletableFuture<Response> first = b.submit(put("a", 10));
    CompletableFuture<Response> x = b.submit(put("x", 10));
    CompletableFuture<Response> y = b.submit(put("y", 10));
    log.get(0).result().completeExceptionally(new IllegalStateException("no quorum"));
    assertThat(first).isCompletedExceptionally();
    log.get(1).result().complete(EntryResult.newBuilder()
        .setError(Error.newBuilder().setCode(ErrorCode.BAD_REQUEST).setMessage("nope")).build());
    assertThat(x.join().getError().getCode()).isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(y.join().getError().getCode()).isEqualTo(ErrorCode.BAD_REQUEST);
  }
}
