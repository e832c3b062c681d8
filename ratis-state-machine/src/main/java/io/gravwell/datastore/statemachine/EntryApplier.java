package io.gravwell.datastore.statemachine;

import io.gravwell.datastore.protocol.v1.Batch;
import io.gravwell.datastore.protocol.v1.Error;
import io.gravwell.datastore.protocol.v1.ErrorCode;
import io.gravwell.datastore.protocol.v1.Mutation;
import io.gravwell.datastore.protocol.v1.MutationResult;
import io.gravwell.datastore.protocol.v1.Outcome;
import io.gravwell.datastore.protocol.v1.StoredObject;
import io.gravwell.datastore.protocol.v1.WriteResult;
import io.gravwell.datastore.statemachine.v1.Compact;
import io.gravwell.datastore.statemachine.v1.CompactResult;
import io.gravwell.datastore.statemachine.v1.EntryResult;
import io.gravwell.datastore.statemachine.v1.InitIdentity;
import io.gravwell.datastore.statemachine.v1.LogEntry;
import io.gravwell.datastore.statemachine.v1.MemberAddress;
import io.gravwell.datastore.statemachine.v1.MemberDirectory;
import io.gravwell.datastore.statemachine.v1.UpdateMembers;
import io.gravwell.datastore.statemachine.v1.WriteGroup;
import io.gravwell.datastore.statemachine.v1.WriteGroupResult;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies one log entry inside one store transaction, including the new lastApplied position, so data
 * and position can never disagree after a crash. Reads nothing but the entry and the store: no clock, no
 * randomness, no configuration.
 */
final class EntryApplier {

  private EntryApplier() {}

  static AppliedEntry apply(StoreWriter txn, AppliedPosition position, LogEntry entry) {
    long index = position.index();
    EntryResult.Builder result = EntryResult.newBuilder();
    List<StoredObject> changes = List.of();
    boolean write = false;
    switch (entry.getBodyCase()) {
      case WRITE -> {
        write = true;
        changes = applyBatch(txn, entry.getWrite(), index, entry.getTimestampMs(), result);
      }
      case WRITE_GROUP -> {
        write = true;
        changes = applyGroup(txn, entry.getWriteGroup(), index, entry.getTimestampMs(), result);
      }
      case INIT_IDENTITY -> initIdentity(txn, entry.getInitIdentity(), entry.getTimestampMs(), result);
      case COMPACT -> {
        List<StoredObject> expired = expire(txn, entry.getCompact(), index, entry.getTimestampMs());
        result.setCompact(compact(txn, entry.getCompact()).toBuilder().setExpired(expired.size()));
        write = !expired.isEmpty();
        changes = expired;
      }
      case UPDATE_MEMBERS -> result.setMembers(updateMembers(txn, entry.getUpdateMembers()));
      case BODY_NOT_SET -> result.setError(badRequest("log entry has no body"));
    }
    txn.setLastApplied(position);
    StoreMeta meta = txn.meta();
    result.setIdentity(Identities.of(meta, index));
    return new AppliedEntry(result.build(), meta, write, changes);
  }

  /**
   * An entry whose bytes are not a LogEntry still takes its place in the log: the position advances and
   * the proposer gets BAD_REQUEST. Every replica holds the same bytes, so every replica decides the same.
   */
  static AppliedEntry unreadable(StoreWriter txn, AppliedPosition position, String reason) {
    txn.setLastApplied(position);
    StoreMeta meta = txn.meta();
    EntryResult result = EntryResult.newBuilder()
        .setIdentity(Identities.of(meta, position.index()))
        .setError(badRequest(reason))
        .build();
    return new AppliedEntry(result, meta, false, List.of());
  }

  /** The answer for an entry that is not applied (already applied before, or unreadable). */
  static EntryResult notApplied(LogEntry entry, StoreMeta meta, long index, long appliedIndex) {
    EntryResult.Builder result = EntryResult.newBuilder().setIdentity(Identities.of(meta, appliedIndex));
    switch (entry.getBodyCase()) {
      case WRITE -> result.setWrite(WriteResult.newBuilder().setRevision(index));
      case WRITE_GROUP -> {
        WriteGroupResult.Builder group = WriteGroupResult.newBuilder();
        entry.getWriteGroup().getBatchesList().forEach(b -> group.addResults(WriteResult.newBuilder().setRevision(index)));
        result.setWriteGroup(group);
      }
      case INIT_IDENTITY -> result.setIdentityInitialized(false);
      case COMPACT -> result.setCompact(CompactResult.newBuilder().setCompactRevision(meta.compactRevision()));
      case UPDATE_MEMBERS -> result.setMembers(MemberDirectory.getDefaultInstance());
      case BODY_NOT_SET -> result.setError(badRequest("log entry has no body"));
    }
    return result.build();
  }

  static Error badRequest(String message) {
    return Error.newBuilder().setCode(ErrorCode.BAD_REQUEST).setMessage(message).build();
  }

  /** Each batch applies as if it had its own entry, in order; later batches see earlier ones' effects. */
  private static List<StoredObject> applyGroup(
      StoreWriter txn, WriteGroup group, long index, long entryTimeMs, EntryResult.Builder result) {
    WriteGroupResult.Builder results = WriteGroupResult.newBuilder();
    List<StoredObject> changes = new ArrayList<>();
    for (Batch batch : group.getBatchesList()) {
      EntryResult.Builder one = EntryResult.newBuilder();
      changes.addAll(applyBatch(txn, batch, index, entryTimeMs, one));
      results.addResults(one.getWrite());
    }
    result.setWriteGroup(results);
    return changes;
  }

  private static List<StoredObject> applyBatch(
      StoreWriter txn, Batch batch, long index, long entryTimeMs, EntryResult.Builder result) {
    StagedWrites staged = new StagedWrites(txn);
    MutationApplier applier = new MutationApplier(staged, index, entryTimeMs);
    List<MutationResult> results = new ArrayList<>(batch.getMutationsCount());
    int firstFailure = -1;
    for (Mutation m : batch.getMutationsList()) {
      MutationResult r = applier.apply(m);
      if (r.getOutcome() != Outcome.APPLIED && firstFailure < 0) {
        firstFailure = results.size();
      }
      results.add(r);
    }
    WriteResult.Builder write = WriteResult.newBuilder().setRevision(index);
    if (batch.getAtomic() && firstFailure >= 0) {
      write.addAllResults(abort(batch, results, firstFailure, staged));
      result.setWrite(write);
      return List.of();
    }
    write.addAllResults(results);
    result.setWrite(write);
    return staged.flushTo(txn);
  }

  /**
   * Nothing of an aborted batch reaches the store, so every result's {@code current} is restated as what
   * the store holds, and the mutations that would have applied become ABORTED.
   */
  private static List<MutationResult> abort(
      Batch batch, List<MutationResult> results, int firstFailure, StagedWrites staged) {
    String reason = "atomic batch aborted: mutation " + firstFailure + " was "
        + results.get(firstFailure).getOutcome();
    List<MutationResult> aborted = new ArrayList<>(results.size());
    for (int i = 0; i < results.size(); i++) {
      MutationResult r = results.get(i);
      MutationResult.Builder b = r.toBuilder().clearCurrent();
      if (r.getOutcome() == Outcome.APPLIED) {
        b.setOutcome(Outcome.ABORTED).setMessage(reason);
      }
      if (r.getOutcome() != Outcome.INVALID) {
        MutationKeys.of(batch.getMutations(i)).flatMap(staged::committed).ifPresent(b::setCurrent);
      }
      aborted.add(b.build());
    }
    return aborted;
  }

  /** Replaces addresses by id, then drops removed ids; the stored directory stays sorted by id. */
  private static MemberDirectory updateMembers(StoreWriter txn, UpdateMembers update) {
    java.util.TreeMap<String, MemberAddress> byId = new java.util.TreeMap<>();
    txn.memberDirectory().getMembersList().forEach(m -> byId.put(m.getId(), m));
    update.getPutList().stream().filter(m -> !m.getId().isEmpty()).forEach(m -> byId.put(m.getId(), m));
    update.getRemoveList().forEach(byId::remove);
    MemberDirectory directory = MemberDirectory.newBuilder().addAllMembers(byId.values()).build();
    txn.setMemberDirectory(directory);
    return directory;
  }

  private static void initIdentity(StoreWriter txn, InitIdentity init, long entryTimeMs, EntryResult.Builder result) {
    if (txn.meta().hasIdentity()) {
      result.setIdentityInitialized(false);
      return;
    }
    StoreMeta.PendingIdentity pending = txn.meta().pending();
    if (pending != null) {
      // A restored store keeps its cluster id whatever was proposed; the entry's time makes the
      // incarnation differ from any earlier restore of the same archive.
      long incarnation = Math.max(pending.minIncarnation(), Math.max(init.getIncarnation(), entryTimeMs));
      txn.setIdentity(pending.clusterId(), incarnation);
      result.setIdentityInitialized(true);
      return;
    }
    if (init.getClusterId().isEmpty()) {
      result.setIdentityInitialized(false).setError(badRequest("init_identity.cluster_id is empty"));
      return;
    }
    txn.setIdentity(init.getClusterId(), Math.max(1, init.getIncarnation()));
    result.setIdentityInitialized(true);
  }

  /**
   * Turns stale objects of the expiring kinds into tombstones stamped (cutoff, ""): any refresh made after
   * the cutoff wins over the tombstone, and a late copy of the stale version cannot bring it back.
   */
  private static List<StoredObject> expire(StoreWriter txn, Compact compact, long index, long entryTimeMs) {
    if (compact.getExpiriesCount() == 0) {
      return List.of();
    }
    java.util.Map<String, Long> cutoffs = new java.util.HashMap<>();
    compact.getExpiriesList().forEach(e -> cutoffs.merge(e.getKind(), e.getCutoffMs(), Math::max));
    List<StoredObject> stale = new ArrayList<>();
    txn.scanAll(o -> {
      Long cutoff = cutoffs.get(o.getKey().getKind());
      if (cutoff != null && !o.getDeleted() && o.getUpdatedMs() < cutoff) {
        stale.add(o);
      }
      return true;
    });
    List<StoredObject> tombstones = new ArrayList<>(stale.size());
    for (StoredObject o : stale) {
      StoredObject.Builder t = StoredObject.newBuilder()
          .setKey(o.getKey())
          .setUpdatedMs(cutoffs.get(o.getKey().getKind()))
          .setOrigin("")
          .setCreateRev(o.getCreateRev())
          .setModRev(index)
          .setDeleted(true)
          .setDeletedAtMs(entryTimeMs);
      if (o.hasAcl()) {
        t.setAcl(o.getAcl());
      }
      StoredObject tombstone = t.build();
      txn.put(tombstone);
      tombstones.add(tombstone);
    }
    return tombstones;
  }

  private static CompactResult compact(StoreWriter txn, Compact compact) {
    List<StoredObject> expired = new ArrayList<>();
    txn.scanTombstones(compact.getCutoffMs(), expired::add);
    long compactRevision = txn.meta().compactRevision();
    for (StoredObject tombstone : expired) {
      txn.remove(tombstone.getKey());
      compactRevision = Math.max(compactRevision, tombstone.getModRev());
    }
    txn.setCompactRevision(compactRevision);
    return CompactResult.newBuilder().setRemoved(expired.size()).setCompactRevision(compactRevision).build();
  }
}
