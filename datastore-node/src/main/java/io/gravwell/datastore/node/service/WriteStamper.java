package io.gravwell.datastore.node.service;

import io.gravwell.datastore.protocol.v1.Batch;
import io.gravwell.datastore.protocol.v1.Mutation;
import io.gravwell.datastore.protocol.v1.Put;
import io.gravwell.datastore.protocol.v1.Request;
import io.gravwell.datastore.protocol.v1.StoredObject;

/**
 * Turns a write request into the batch that goes into the log, filling in "now" for writes that left
 * updated_ms at 0. This is the last moment a clock may be read: once logged, apply must be deterministic.
 */
final class WriteStamper {
  private WriteStamper() {}

  static Batch toBatch(Request request, long nowMs) {
    return switch (request.getBodyCase()) {
      case PUT -> Batch.newBuilder().addMutations(stamp(Mutation.newBuilder().setPut(request.getPut()).build(), nowMs)).build();
      case DELETE -> Batch.newBuilder().addMutations(stamp(Mutation.newBuilder().setDelete(request.getDelete()).build(), nowMs)).build();
      case CAS -> Batch.newBuilder().addMutations(stamp(Mutation.newBuilder().setCas(request.getCas()).build(), nowMs)).build();
      case BATCH -> {
        Batch.Builder b = Batch.newBuilder().setAtomic(request.getBatch().getAtomic());
        for (Mutation m : request.getBatch().getMutationsList()) {
          b.addMutations(stamp(m, nowMs));
        }
        yield b.build();
      }
      default -> throw new IllegalArgumentException("not a write: " + request.getBodyCase());
    };
  }

  private static Mutation stamp(Mutation m, long nowMs) {
    return switch (m.getOpCase()) {
      case PUT -> m.getPut().getObject().getUpdatedMs() != 0 ? m
          : Mutation.newBuilder().setPut(Put.newBuilder().setObject(stamp(m.getPut().getObject(), nowMs))).build();
      case DELETE -> m.getDelete().getUpdatedMs() != 0 ? m
          : Mutation.newBuilder().setDelete(m.getDelete().toBuilder().setUpdatedMs(nowMs)).build();
      case CAS -> !m.getCas().hasPut() || m.getCas().getPut().getUpdatedMs() != 0 ? m
          : Mutation.newBuilder().setCas(m.getCas().toBuilder().setPut(stamp(m.getCas().getPut(), nowMs))).build();
      case OP_NOT_SET -> m;
    };
  }

  private static StoredObject stamp(StoredObject o, long nowMs) {
    return o.toBuilder().setUpdatedMs(nowMs).build();
  }

}
