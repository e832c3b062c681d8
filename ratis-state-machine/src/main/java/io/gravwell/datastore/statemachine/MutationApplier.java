package io.gravwell.datastore.statemachine;

import io.gravwell.datastore.protocol.v1.CompareAndSet;
import io.gravwell.datastore.protocol.v1.Delete;
import io.gravwell.datastore.protocol.v1.Mutation;
import io.gravwell.datastore.protocol.v1.MutationResult;
import io.gravwell.datastore.protocol.v1.ObjectKey;
import io.gravwell.datastore.protocol.v1.Outcome;
import io.gravwell.datastore.protocol.v1.Put;
import io.gravwell.datastore.protocol.v1.StoredObject;
import java.util.Optional;

/**
 * Applies one mutation to staged writes. Deterministic: it reads only the mutation, the staged state, the
 * entry's index (the revision) and the entry's timestamp.
 */
final class MutationApplier {

  private final StagedWrites staged;
  private final long revision;
  private final long entryTimeMs;

  MutationApplier(StagedWrites staged, long revision, long entryTimeMs) {
    this.staged = staged;
    this.revision = revision;
    this.entryTimeMs = entryTimeMs;
  }

  MutationResult apply(Mutation mutation) {
    return switch (mutation.getOpCase()) {
      case PUT -> put(mutation.getPut());
      case DELETE -> delete(mutation.getDelete());
      case CAS -> compareAndSet(mutation.getCas());
      case OP_NOT_SET -> invalid("mutation has no operation");
    };
  }

  private MutationResult put(Put put) {
    StoredObject incoming = put.getObject();
    String problem = checkPut(put.hasObject(), incoming, "put.object");
    if (problem != null) {
      return invalid(problem);
    }
    Optional<StoredObject> stored = staged.get(incoming.getKey());
    if (stored.isPresent()
        && LastWriterWins.losesTo(incoming.getUpdatedMs(), incoming.getOrigin(), stored.get())) {
      return result(Outcome.CONFLICT, stored, "an object with a later (updated_ms, origin) is stored");
    }
    return applied(livePut(incoming, stored));
  }

  private MutationResult delete(Delete delete) {
    String problem = checkKey(delete.hasKey(), delete.getKey(), "delete.key");
    if (problem == null && delete.getUpdatedMs() <= 0) {
      problem = "delete.updated_ms must be positive (the node stamps it before logging)";
    }
    if (problem != null) {
      return invalid(problem);
    }
    Optional<StoredObject> stored = staged.get(delete.getKey());
    if (stored.isPresent() && LastWriterWins.losesTo(delete.getUpdatedMs(), delete.getOrigin(), stored.get())) {
      return result(Outcome.CONFLICT, stored, "an object with a later (updated_ms, origin) is stored");
    }
    return applied(tombstone(delete.getKey(), delete.getUpdatedMs(), delete.getOrigin(), stored));
  }

  private MutationResult compareAndSet(CompareAndSet cas) {
    if (cas.getExpectedModRev() < 0) {
      return invalid("cas.expected_mod_rev must not be negative");
    }
    ObjectKey key;
    String problem;
    switch (cas.getActionCase()) {
      case PUT -> {
        key = cas.getPut().getKey();
        problem = checkPut(true, cas.getPut(), "cas.put");
      }
      case DELETE -> {
        key = cas.getDelete();
        problem = checkKey(true, key, "cas.delete");
      }
      default -> {
        return invalid("cas has no action");
      }
    }
    if (problem != null) {
      return invalid(problem);
    }
    Optional<StoredObject> stored = staged.get(key);
    long storedRev = stored.filter(o -> !o.getDeleted()).map(StoredObject::getModRev).orElse(0L);
    if (storedRev != cas.getExpectedModRev()) {
      return result(Outcome.PRECONDITION_FAILED, stored,
          "expected mod_rev " + cas.getExpectedModRev() + " but the stored mod_rev is " + storedRev);
    }
    if (cas.getActionCase() == CompareAndSet.ActionCase.PUT) {
      return applied(livePut(cas.getPut(), stored));
    }
    // A CAS delete carries no stamp of its own. Stamping it with the entry time, but never earlier than
    // what it replaces, keeps a retried copy of the deleted version from resurrecting it under LWW.
    long updatedMs = entryTimeMs;
    String origin = "";
    if (stored.isPresent() && LastWriterWins.losesTo(updatedMs, origin, stored.get())) {
      updatedMs = stored.get().getUpdatedMs();
      origin = stored.get().getOrigin();
    }
    return applied(tombstone(key, updatedMs, origin, stored));
  }

  private StoredObject livePut(StoredObject incoming, Optional<StoredObject> stored) {
    long createRev = stored.filter(o -> !o.getDeleted()).map(StoredObject::getCreateRev).orElse(revision);
    return incoming.toBuilder()
        .setCreateRev(createRev)
        .setModRev(revision)
        .setDeleted(false)
        .setDeletedAtMs(0)
        .build();
  }

  private StoredObject tombstone(ObjectKey key, long updatedMs, String origin, Optional<StoredObject> stored) {
    StoredObject.Builder b = StoredObject.newBuilder()
        .setKey(key)
        .setUpdatedMs(updatedMs)
        .setOrigin(origin)
        .setModRev(revision)
        .setDeleted(true)
        .setDeletedAtMs(entryTimeMs);
    stored.ifPresent(s -> {
      b.setCreateRev(s.getCreateRev());
      if (s.hasAcl()) {
        b.setAcl(s.getAcl());
      }
    });
    return b.build();
  }

  /**
   * The answer to an applied mutation carries the stored object without its payload: the writer has the
   * payload already, and echoing it would double every write's reply traffic and keep large payloads
   * (resource chunks) alive in Ratis' retry cache for a minute.
   */
  private MutationResult applied(StoredObject object) {
    staged.put(object);
    return MutationResult.newBuilder()
        .setOutcome(Outcome.APPLIED)
        .setCurrent(object.toBuilder().clearPayload())
        .build();
  }

  private static MutationResult result(Outcome outcome, Optional<StoredObject> current, String message) {
    MutationResult.Builder b = MutationResult.newBuilder().setOutcome(outcome).setMessage(message);
    current.ifPresent(b::setCurrent);
    return b.build();
  }

  private static MutationResult invalid(String message) {
    return MutationResult.newBuilder().setOutcome(Outcome.INVALID).setMessage(message).build();
  }

  private static String checkPut(boolean present, StoredObject object, String field) {
    if (!present) {
      return field + " is missing";
    }
    String problem = checkKey(object.hasKey(), object.getKey(), field + ".key");
    if (problem == null && object.getUpdatedMs() <= 0) {
      problem = field + ".updated_ms must be positive (the node stamps it before logging)";
    }
    return problem;
  }

  private static String checkKey(boolean present, ObjectKey key, String field) {
    if (!present) {
      return field + " is missing";
    }
    if (key.getDomain().isEmpty()) {
      return field + ".domain is empty";
    }
    if (key.getKind().isEmpty()) {
      return field + ".kind is empty";
    }
    if (key.getId().isEmpty()) {
      return field + ".id is empty";
    }
    return null;
  }
}
