package io.gravwell.datastore.statemachine;

import com.google.protobuf.ByteString;
import io.gravwell.datastore.protocol.v1.Batch;
import io.gravwell.datastore.protocol.v1.CompareAndSet;
import io.gravwell.datastore.protocol.v1.Delete;
import io.gravwell.datastore.protocol.v1.Mutation;
import io.gravwell.datastore.protocol.v1.ObjectKey;
import io.gravwell.datastore.protocol.v1.Put;
import io.gravwell.datastore.protocol.v1.StoredObject;
import io.gravwell.datastore.statemachine.v1.Compact;
import io.gravwell.datastore.statemachine.v1.InitIdentity;
import io.gravwell.datastore.statemachine.v1.LogEntry;
import io.gravwell.datastore.statemachine.v1.WriteGroup;

/** Terse builders for log entries in tests. */
final class Entries {

  private Entries() {}

  static ObjectKey key(String domain, String kind, String id) {
    return ObjectKey.newBuilder().setDomain(domain).setKind(kind).setId(id).build();
  }

  static ObjectKey key(String id) {
    return key("d", "dashboard", id);
  }

  static StoredObject object(ObjectKey key, String payload, long updatedMs, String origin) {
    return StoredObject.newBuilder()
        .setKey(key)
        .setPayload(ByteString.copyFromUtf8(payload))
        .setUpdatedMs(updatedMs)
        .setOrigin(origin)
        .build();
  }

  static Mutation put(ObjectKey key, String payload, long updatedMs, String origin) {
    return Mutation.newBuilder()
        .setPut(Put.newBuilder().setObject(object(key, payload, updatedMs, origin)))
        .build();
  }

  static Mutation delete(ObjectKey key, long updatedMs, String origin) {
    return Mutation.newBuilder()
        .setDelete(Delete.newBuilder().setKey(key).setUpdatedMs(updatedMs).setOrigin(origin))
        .build();
  }

  static Mutation casPut(long expected, ObjectKey key, String payload, long updatedMs, String origin) {
    return Mutation.newBuilder()
        .setCas(CompareAndSet.newBuilder().setExpectedModRev(expected).setPut(object(key, payload, updatedMs, origin)))
        .build();
  }

  static Mutation casDelete(long expected, ObjectKey key) {
    return Mutation.newBuilder()
        .setCas(CompareAndSet.newBuilder().setExpectedModRev(expected).setDelete(key))
        .build();
  }

  static LogEntry write(long timestampMs, Mutation... mutations) {
    return LogEntry.newBuilder()
        .setTimestampMs(timestampMs)
        .setWrite(Batch.newBuilder().addAllMutations(java.util.List.of(mutations)))
        .build();
  }

  /** Several clients' batches in one entry, as the leader's write batcher groups them. */
  static LogEntry group(long timestampMs, Iterable<Batch> batches) {
    return LogEntry.newBuilder()
        .setTimestampMs(timestampMs)
        .setWriteGroup(WriteGroup.newBuilder().addAllBatches(batches))
        .build();
  }

  static LogEntry atomic(long timestampMs, Mutation... mutations) {
    return LogEntry.newBuilder()
        .setTimestampMs(timestampMs)
        .setWrite(Batch.newBuilder().setAtomic(true).addAllMutations(java.util.List.of(mutations)))
        .build();
  }

  static LogEntry initIdentity(long timestampMs, String clusterId) {
    return LogEntry.newBuilder()
        .setTimestampMs(timestampMs)
        .setInitIdentity(InitIdentity.newBuilder().setClusterId(clusterId).setIncarnation(1))
        .build();
  }

  static LogEntry compact(long timestampMs, long cutoffMs) {
    return LogEntry.newBuilder()
        .setTimestampMs(timestampMs)
        .setCompact(Compact.newBuilder().setCutoffMs(cutoffMs))
        .build();
  }
}
