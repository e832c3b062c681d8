package io.gravwell.datastore.statemachine;

import io.gravwell.datastore.protocol.v1.ChangesSince;
import io.gravwell.datastore.protocol.v1.Get;
import io.gravwell.datastore.protocol.v1.MutationResult;
import io.gravwell.datastore.protocol.v1.ObjectKey;
import io.gravwell.datastore.statemachine.v1.EntryResult;
import io.gravwell.datastore.statemachine.v1.LogEntry;
import io.gravwell.datastore.statemachine.v1.Query;
import io.gravwell.datastore.statemachine.v1.QueryResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Random;

/** A state machine on a real store in a directory, driven without Raft; indexes are assigned in order. */
final class Machine implements AutoCloseable {

  static final long TERM = 1;

  final Path root;
  final DirRaftStorage raftStorage;
  final DatastoreStateMachine sm;
  private final StateMachineSettings settings;
  private long nextIndex;

  private Machine(Path root, StateMachineSettings settings, long nextIndex) {
    this.root = root;
    this.raftStorage = new DirRaftStorage(root);
    this.settings = settings;
    this.sm = new DatastoreStateMachine(settings);
    try {
      sm.start(raftStorage);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.nextIndex = nextIndex;
  }

  static StateMachineSettings settings() {
    return StateMachineSettings.builder()
        .clock(Clock.fixed(Instant.ofEpochMilli(1_000_000), ZoneOffset.UTC))
        .random(new Random(42))
        .defaultPageSize(100)
        .maxPageSize(500)
        .build();
  }

  static Machine open(Path root) {
    return open(root, settings());
  }

  static Machine open(Path root, StateMachineSettings settings) {
    return new Machine(root, settings, 1);
  }

  /** Closes this machine and opens a new one on the same directory, as after a process restart. */
  Machine restart() {
    close();
    return new Machine(root, settings, 1);
  }

  /** The context Ratis hands applyTransaction for a committed entry holding {@code data}. */
  static org.apache.ratis.statemachine.TransactionContext transaction(DatastoreStateMachine sm, long term,
      long index, byte[] data) {
    var entry = org.apache.ratis.proto.RaftProtos.LogEntryProto.newBuilder()
        .setTerm(term)
        .setIndex(index)
        .setStateMachineLogEntry(org.apache.ratis.proto.RaftProtos.StateMachineLogEntryProto.newBuilder()
            .setLogData(org.apache.ratis.thirdparty.com.google.protobuf.ByteString.copyFrom(data)))
        .build();
    return org.apache.ratis.statemachine.TransactionContext.newBuilder()
        .setStateMachine(sm)
        .setServerRole(org.apache.ratis.proto.RaftProtos.RaftPeerRole.FOLLOWER)
        .setLogEntry(entry)
        .build();
  }

  /** Hands the next entry to the apply thread, as Ratis' updater does; completes with its answer. */
  java.util.concurrent.CompletableFuture<EntryResult> submit(LogEntry entry) {
    return sm.applyTransaction(transaction(sm, TERM, nextIndex++, entry.toByteArray()))
        .thenApply(reply -> {
          try {
            return StateMachineMessages.entryResult(reply);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  long lastIndex() {
    return nextIndex - 1;
  }

  void setNextIndex(long index) {
    nextIndex = index;
  }

  EntryResult apply(LogEntry entry) {
    return sm.apply(TERM, nextIndex++, entry);
  }

  MutationResult applyOne(LogEntry entry) {
    return apply(entry).getWrite().getResults(0);
  }

  QueryResult query(Query q) {
    return sm.queryLocal(q);
  }

  QueryResult get(ObjectKey key, boolean includeTombstone) {
    return query(Query.newBuilder()
        .setGet(Get.newBuilder().setKey(key).setIncludeTombstone(includeTombstone)).build());
  }

  QueryResult changes(long after, int limit) {
    return query(Query.newBuilder()
        .setChanges(ChangesSince.newBuilder().setAfterRevision(after).setLimit(limit)).build());
  }

  @Override
  public void close() {
    sm.close();
  }
}
