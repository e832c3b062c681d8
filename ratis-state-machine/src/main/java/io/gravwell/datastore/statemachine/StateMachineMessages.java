package io.gravwell.datastore.statemachine;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import io.gravwell.datastore.protocol.v1.Batch;
import io.gravwell.datastore.statemachine.v1.Compact;
import io.gravwell.datastore.statemachine.v1.Expiry;
import io.gravwell.datastore.statemachine.v1.EntryResult;
import io.gravwell.datastore.statemachine.v1.InitIdentity;
import io.gravwell.datastore.statemachine.v1.LogEntry;
import io.gravwell.datastore.statemachine.v1.Query;
import io.gravwell.datastore.statemachine.v1.QueryResult;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.random.RandomGenerator;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;

/**
 * Builds and reads the Ratis messages of this state machine. Ratis carries its own shaded protobuf, so
 * our (unshaded) messages cross as bytes.
 */
public final class StateMachineMessages {

  private StateMachineMessages() {}

  public static Message toMessage(MessageLite proto) {
    return Message.valueOf(UnsafeByteOperations.unsafeWrap(proto.toByteArray()));
  }

  public static Message writeEntry(long nowMs, Batch batch) {
    return toMessage(LogEntry.newBuilder().setTimestampMs(nowMs).setWrite(batch).build());
  }

  /** A random (version 4) cluster id at incarnation 1; apply keeps the first one committed. */
  public static Message identityEntry(RandomGenerator random, long nowMs) {
    long msb = (random.nextLong() & ~0xF000L) | 0x4000L;
    long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    InitIdentity init = InitIdentity.newBuilder()
        .setClusterId(new UUID(msb, lsb).toString())
        .setIncarnation(1)
        .build();
    return toMessage(LogEntry.newBuilder().setTimestampMs(nowMs).setInitIdentity(init).build());
  }

  /** The restored cluster's identity: its kept id, an incarnation no earlier restore can have had. */
  static Message restoredIdentityEntry(StoreMeta.PendingIdentity pending, long nowMs) {
    InitIdentity init = InitIdentity.newBuilder()
        .setClusterId(pending.clusterId())
        .setIncarnation(Math.max(pending.minIncarnation(), nowMs))
        .build();
    return toMessage(LogEntry.newBuilder().setTimestampMs(nowMs).setInitIdentity(init).build());
  }

  /** Removes tombstones older than {@code retention} at {@code nowMs}, the proposer's time. */
  public static Message compactEntry(long nowMs, Duration retention) {
    return compactEntry(nowMs, retention, Map.of());
  }

  /**
   * Tombstones older than {@code retention} go; live objects of each kind in {@code expireAfter} not
   * refreshed within its duration become tombstones.
   */
  public static Message compactEntry(long nowMs, Duration retention, Map<String, Duration> expireAfter) {
    Compact.Builder compact = Compact.newBuilder().setCutoffMs(nowMs - retention.toMillis());
    expireAfter.forEach((kind, after) ->
        compact.addExpiries(Expiry.newBuilder().setKind(kind).setCutoffMs(nowMs - after.toMillis())));
    return toMessage(LogEntry.newBuilder().setTimestampMs(nowMs).setCompact(compact).build());
  }

  public static Message query(Query query) {
    return toMessage(query);
  }

  public static EntryResult entryResult(Message reply) throws InvalidProtocolBufferException {
    return EntryResult.parseFrom(reply.getContent().asReadOnlyByteBuffer());
  }

  public static QueryResult queryResult(Message reply) throws InvalidProtocolBufferException {
    return QueryResult.parseFrom(reply.getContent().asReadOnlyByteBuffer());
  }
}
