package io.gravwell.datastore.client.sync;

import io.gravwell.datastore.client.RemoteDatastore;
import io.gravwell.datastore.client.store.LocalObject;
import io.gravwell.datastore.client.store.LocalReader;
import io.gravwell.datastore.client.store.LocalStore;
import io.gravwell.datastore.client.store.LocalWriter;
import io.gravwell.datastore.client.store.SyncCheckpoint;
import io.gravwell.datastore.client.sync.IdentityCheck.Verdict;
import io.gravwell.datastore.client.sync.RemoteChangeRule.Decision;
import io.gravwell.datastore.client.sync.RemoteChangeRule.Mode;
import io.gravwell.datastore.protocol.client.DatastoreException;
import io.gravwell.datastore.protocol.v1.ErrorCode;
import io.gravwell.datastore.protocol.v1.Identity;
import io.gravwell.datastore.protocol.v1.MutationResult;
import io.gravwell.datastore.protocol.v1.ObjectKey;
import io.gravwell.datastore.protocol.v1.Response;
import io.gravwell.datastore.protocol.v1.StoredObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sync cycle: identity check, push, pull, checkpoint. Single use, run on the agent's sync thread.
 *
 * <p>Every answer the cycle acts on must come from the history the cycle began with (the ping's cluster id
 * and incarnation), and reads must be at least at the revision the cycle relies on; otherwise the cycle
 * stops ({@link IdentityShiftedException}) before it deletes anything. The checkpoint is written last, so
 * an interrupted cycle is simply repeated.
 */
final class SyncCycle {

  private static final Logger LOG = LoggerFactory.getLogger(SyncCycle.class);
  /** Room for the LogEntry around a batch (timestamp, field tags, lengths), generously rounded up. */
  private static final int ENTRY_ENVELOPE_BYTES = 1024;

  /** The cycle's link to the agent: shared counters, the listener, and the once-per-transition WARN. */
  record Context(
      SyncSettings settings,
      RemoteDatastore remote,
      LocalStore store,
      SyncCounters counters,
      SyncListener listener,
      Consumer<Reseed> announceReseed,
      Consumer<Identity> datastoreAnswered,
      Supplier<Identity> heard) {}

  private record LocalState(Optional<SyncCheckpoint> checkpoint, boolean holdsSynced, boolean hasDirty) {}

  private record Listing(long revision, boolean empty, Set<ObjectKey> keys) {}

  /** What applying a page of remote versions did; counted after the transaction commits. */
  private static final class Applied {
    final List<StoredObject[]> lost = new ArrayList<>();
    final List<String> refused = new ArrayList<>();
    int adopted;
    int deleted;
  }

  private final Context ctx;
  private final SyncSettings settings;
  private final String domain;
  // The history this cycle works against, and the lowest revision its reads may be answered at.
  private Identity identity;
  private long floor;

  SyncCycle(Context ctx) {
    this.ctx = ctx;
    this.settings = ctx.settings();
    this.domain = settings.domain();
  }

  SyncOutcome run() {
    LocalState state = ctx.store().read(r ->
        new LocalState(r.checkpoint(), r.syncedCount() > 0, r.dirtyCount() > 0));
    Identity floor = state.checkpoint()
        .map(cp -> RungRevision.floor(cp.toIdentity(), ctx.heard().get()))
        .orElse(null);
    Identity pinged = ctx.remote().ping(floor).getIdentity();
    Verdict verdict = IdentityCheck.check(state.checkpoint(), state.holdsSynced(), pinged);
    if (verdict.reason() == IdentityCheck.Reason.REVISION_WENT_BACKWARDS) {
      Identity caughtUp = awaitCatchUp(state.checkpoint().orElseThrow().revision());
      if (caughtUp != null && caughtUp.getClusterId().equals(pinged.getClusterId())
          && caughtUp.getIncarnation() == pinged.getIncarnation()) {
        pinged = caughtUp;
        verdict = IdentityCheck.check(state.checkpoint(), state.holdsSynced(), pinged);
      }
    }
    if (verdict.kind() != IdentityCheck.Kind.WAIT) {
      ctx.datastoreAnswered().accept(pinged);
    }
    switch (verdict.kind()) {
      case WAIT:
        return SyncOutcome.WAITING;
      case FIRST_SYNC:
        return firstSync(pinged);
      case RESEED:
        return reseed(new Reseed(verdict.reason(), state.checkpoint(), pinged));
      case SAME:
      default:
        SyncCheckpoint cp = state.checkpoint().orElseThrow();
        if (pinged.getRevision() == cp.revision() && !state.hasDirty()) {
          // The O(1) check-in: same history, nothing new upstream, nothing to push.
          ctx.counters().idleCycles.incrementAndGet();
          return SyncOutcome.IDLE;
        }
        return incremental(pinged, cp);
    }
  }

  /**
   * Right after a leader change every live node may briefly answer from below the revision we synced at:
   * the new leader applies the old term's last entries only once it commits one of its own. A read that
   * waits on the node for our revision (AT_LEAST) tells that apart from a rollback, which never reaches it
   * in time. Returns the identity of an answer at or above {@code revision}, or null.
   */
  private Identity awaitCatchUp(long revision) {
    try {
      Response r = ctx.remote().changesSince(revision, 1, revision);
      if (r.hasError() && r.getError().getCode() == ErrorCode.REVISION_NOT_REACHED) {
        return null;
      }
      return r.getIdentity().getRevision() >= revision ? r.getIdentity() : null;
    } catch (DatastoreException e) {
      if (e.code() == ErrorCode.REVISION_NOT_REACHED) {
        return null;
      }
      throw e;
    }
  }

  // ---- the three kinds of cycle ---------------------------------------------------------------------

  private SyncOutcome incremental(Identity pinged, SyncCheckpoint cp) {
    identity = pinged;
    floor = cp.revision();
    pushDirty();
    Long pulledTo = pullChanges(cp.revision(), Mode.SAME_HISTORY);
    if (pulledTo == null) {
      ctx.counters().fullListings.incrementAndGet();
      Listing listing = fullListing(Mode.SAME_HISTORY);
      boolean holdsSynced = ctx.store().read(LocalReader::syncedCount) > 0;
      Verdict verdict = IdentityCheck.checkFullListing(
          Optional.of(cp), holdsSynced, identity.toBuilder().setRevision(listing.revision()).build(),
          listing.empty());
      if (!verdict.deletionsAllowed()) {
        return reseed(new Reseed(verdict.reason(), Optional.of(cp), identity));
      }
      deleteAbsent(listing);
      pulledTo = listing.revision();
    }
    ctx.store().writeCheckpoint(cp.at(pulledTo));
    return SyncOutcome.SYNCED;
  }

  private SyncOutcome firstSync(Identity pinged) {
    identity = pinged;
    floor = pinged.getRevision();
    pushDirty();
    ctx.store().writeCheckpoint(SyncCheckpoint.of(identity, pullEverything()));
    return SyncOutcome.FIRST_SYNC;
  }

  /**
   * The datastore is not the history we synced with. Push every local object with its own stamps (the
   * cluster's last-writer-wins decides against whatever is there, including other webservers re-seeding
   * at the same time), pull everything, delete nothing on absence, then adopt the new identity. Remembered
   * deletes are pushed too: a webserver that had not pulled a delete yet re-seeds the deleted object, and
   * the remembered tombstone, newer by last-writer-wins, wins over it whichever arrives first.
   */
  private SyncOutcome reseed(Reseed reseed) {
    ctx.announceReseed().accept(reseed);
    identity = reseed.now();
    floor = identity.getRevision();
    pushAll();
    ctx.store().writeCheckpoint(SyncCheckpoint.of(identity, pullEverything()));
    return SyncOutcome.RESEEDED;
  }

  // ---- push ------------------------------------------------------------------------------------------

  /**
   * Dirty objects in byte-bounded pages, in the passes of {@link PushOrder}: new content chunks first,
   * then everything else (a resource's metadata, which points at them), then the deletes of replaced
   * chunks. Each pass ends before the next begins, so a reader elsewhere does not find metadata whose
   * chunks the datastore has not got, nor lose the chunks of the version it still shows.
   */
  private void pushDirty() {
    for (Predicate<LocalObject> pass : PushOrder.PASSES) {
      ObjectKey after = null;
      while (true) {
        ObjectKey from = after;
        List<LocalObject> page = ctx.store().read(r -> r.dirty(from, settings.pushBatchMutations(), pageBytes()));
        if (page.isEmpty()) {
          break;
        }
        push(page.stream().filter(pass).toList());
        after = page.get(page.size() - 1).key();
      }
    }
  }

  /**
   * Every local object of the domain, synced or not, in byte-bounded pages (never the whole store in
   * heap): content chunks first, then the other kinds.
   */
  private void pushAll() {
    pushScan(PushOrder.CHUNK_KIND, o -> true);
    pushScan("", o -> !PushOrder.isChunk(o));
  }

  private void pushScan(String kind, Predicate<LocalObject> filter) {
    ObjectKey after = null;
    long maxBytes = pageBytes();
    while (true) {
      ObjectKey from = after;
      List<LocalObject> page = new ArrayList<>();
      ObjectKey last = ctx.store().read(r -> {
        long[] bytes = {0};
        ObjectKey[] seen = {null};
        r.scan(domain, kind, from, o -> {
          seen[0] = o.key();
          if (filter.test(o)) {
            page.add(o);
            bytes[0] += o.object().getSerializedSize();
          }
          return page.size() < settings.pushBatchMutations() && bytes[0] < maxBytes;
        });
        return seen[0];
      });
      if (last == null) {
        return;
      }
      push(page);
      after = last;
    }
  }

  /**
   * The batches of one page are sent together and their results recorded in order. Their objects are
   * distinct keys of one pass, so the order in which they apply does not matter, and a page is bounded in
   * bytes. One at a time, a resource's chunks (one batch each) waited a whole Raft round apiece.
   */
  private void push(List<LocalObject> objects) {
    if (objects.isEmpty()) {
      return;
    }
    List<PushBatch> batches = new ArrayList<>();
    PushBatch batch = newBatch();
    for (LocalObject o : objects) {
      if (!batch.offer(o)) {
        batches.add(batch);
        batch = newBatch();
        batch.offer(o);
      }
    }
    if (!batch.isEmpty()) {
      batches.add(batch);
    }
    List<CompletableFuture<Response>> answers = new ArrayList<>();
    for (PushBatch b : batches) {
      answers.add(ctx.remote().writeAsync(b.batch()));
    }
    RuntimeException failure = null;
    for (int i = 0; i < batches.size(); i++) {
      try {
        record(batches.get(i), answers.get(i).join());
      } catch (CompletionException e) {
        failure = failure != null ? failure : unwrap(e);
      } catch (RuntimeException e) {
        failure = failure != null ? failure : e;
      }
    }
    // Every answer is in (or failed) before the first failure ends the cycle: the next cycle must not race
    // writes of this one. Batches that did apply are recorded; the rest stay dirty and are sent again.
    if (failure != null) {
      throw failure;
    }
  }

  private static RuntimeException unwrap(CompletionException e) {
    return e.getCause() instanceof RuntimeException r ? r : e;
  }

  private PushBatch newBatch() {
    return new PushBatch(settings.pushBatchMutations(), batchBytes());
  }

  /** A batch is one Raft entry: below both our setting and what the nodes said they accept. */
  private int batchBytes() {
    int nodeLimit = ctx.remote().maxEntryBytes();
    return nodeLimit <= 0 ? settings.pushBatchBytes()
        : Math.max(1, Math.min(settings.pushBatchBytes(), nodeLimit - ENTRY_ENVELOPE_BYTES));
  }

  /** A page read for pushing holds a few batches' worth: enough to keep the pipe full, bounded in heap. */
  private long pageBytes() {
    return 4L * batchBytes();
  }

  private void send(PushBatch batch) {
    record(batch, ctx.remote().write(batch.batch()));
  }

  private void record(PushBatch batch, Response response) {
    if (response.hasError()) {
      if (response.getError().getCode() == ErrorCode.ENTRY_TOO_LARGE) {
        if (batch.size() > 1) {
          batch.split().forEach(this::send);
        } else {
          // One object above the entry limit must not block every other change: it stays dirty (and
          // keeps the check-in from being idle) until the app shrinks it. Content goes in chunks well below
          // the limit (see content.ContentStore), so this is an app object that is too big.
          LOG.warn("datastore refused {} as too large for one entry; it stays queued locally: {}",
              batch.objects().get(0).key(), response.getError().getMessage());
        }
        return;
      }
      throw DatastoreException.of(response.getError());
    }
    trust(response);
    floor = Math.max(floor, response.getWrite().getRevision());
    List<MutationResult> results = response.getWrite().getResultsList();
    List<LocalObject> sent = batch.objects();
    if (results.size() != sent.size()) {
      throw new DatastoreException(ErrorCode.INTERNAL,
          "write answered " + results.size() + " results for " + sent.size() + " mutations");
    }
    Applied applied = ctx.store().write(w -> {
      Applied a = new Applied();
      for (int i = 0; i < sent.size(); i++) {
        recordPushResult(w, sent.get(i), results.get(i), a);
      }
      return a;
    });
    ctx.counters().pushed.addAndGet(sent.size());
    report(applied);
  }

  private void recordPushResult(
      LocalWriter w, LocalObject sent, MutationResult result, Applied a) {
    Optional<LocalObject> now = w.get(sent.key());
    if (now.isEmpty() || !LastWriterWins.sameVersion(now.get().object(), sent.object())) {
      // Changed locally while the push was in flight: the newer change is still dirty and goes next time.
      return;
    }
    switch (result.getOutcome()) {
      // The node answers an applied write without the payload we sent: put it back.
      case APPLIED -> storeSynced(w, sent.key(),
          result.getCurrent().toBuilder().setPayload(sent.object().getPayload()).build());
      case CONFLICT -> {
        if (!result.hasCurrent()) {
          return;
        }
        storeSynced(w, sent.key(), result.getCurrent());
        if (sent.dirty()) {
          a.lost.add(new StoredObject[] {sent.object(), result.getCurrent()});
        } else {
          a.adopted++;
        }
      }
      default -> {
        // INVALID (or an outcome this client never asks for): retrying cannot help. Keep the local copy
        // but stop pushing it; a local tombstone is simply forgotten.
        if (sent.tombstone()) {
          w.remove(sent.key());
        } else {
          w.upsert(new LocalObject(now.get().object(), now.get().syncedRevision(), false));
        }
        a.refused.add(sent.key() + ": " + result.getOutcome() + " " + result.getMessage());
      }
    }
  }

  /**
   * The datastore's version becomes the local one. A tombstone replaces the local copy as a remembered
   * delete (see {@link LocalObject}), which a re-seed pushes again; with no retention it just removes it.
   */
  private void storeSynced(LocalWriter w, ObjectKey key, StoredObject v) {
    if (v.getDeleted() && (settings.tombstoneRetention().isZero() || v.getModRev() <= 0)) {
      w.remove(key);
    } else {
      w.upsert(LocalObject.synced(v));
    }
  }

  // ---- pull ------------------------------------------------------------------------------------------

  /**
   * Pulls every change after {@code after}, page by page. Returns the revision everything has been
   * pulled up to, or null if the datastore compacted past {@code after} (a full listing is needed).
   */
  private Long pullChanges(long after, Mode mode) {
    long next = after;
    while (true) {
      Response response = ctx.remote().changesSince(next, settings.pageSize(), floor);
      if (response.hasError()) {
        if (response.getError().getCode() == ErrorCode.COMPACTED) {
          return null;
        }
        throw DatastoreException.of(response.getError());
      }
      trustRead(response);
      List<StoredObject> changes = response.getChanges().getChangesList();
      applyRemote(changes.stream().filter(o -> o.getKey().getDomain().equals(domain)).toList(), mode);
      if (!changes.isEmpty()) {
        next = Math.max(next, changes.get(changes.size() - 1).getModRev());
        floor = Math.max(floor, next);
      }
      if (!response.getChanges().getMore()) {
        // The last page came from one consistent store view at its revision: nothing else is missing.
        return Math.max(next, response.getIdentity().getRevision());
      }
    }
  }

  /** Used by first syncs and re-seeds: every version the datastore has, ranked by write order only. */
  private long pullEverything() {
    Long pulledTo = pullChanges(0, Mode.WRITE_ORDER_ONLY);
    if (pulledTo != null) {
      return pulledTo;
    }
    ctx.counters().fullListings.incrementAndGet();
    return fullListing(Mode.WRITE_ORDER_ONLY).revision();
  }

  /**
   * Lists every object of the domain, adopting what is newer. The pages may come from different nodes
   * at different revisions; the listing counts as taken at the oldest page's revision, which is where
   * the checkpoint then stands, so later changes are pulled again.
   */
  private Listing fullListing(Mode mode) {
    Set<ObjectKey> keys = new HashSet<>();
    long revision = Long.MAX_VALUE;
    String token = "";
    do {
      Response response = ctx.remote().list(domain, "", token, settings.pageSize(), floor);
      if (response.hasError()) {
        throw DatastoreException.of(response.getError());
      }
      trustRead(response);
      revision = Math.min(revision, response.getIdentity().getRevision());
      List<StoredObject> objects = response.getList().getObjectsList();
      applyRemote(objects, mode);
      objects.forEach(o -> keys.add(o.getKey()));
      token = response.getList().getNextPageToken();
    } while (!token.isEmpty());
    return new Listing(revision, keys.isEmpty(), keys);
  }

  /**
   * Deletes the clean synced objects a trusted full listing does not contain. An object synced after the
   * listing's revision may simply be newer than the listing, so it is kept. A listing holds no
   * tombstones, so remembered deletes are left alone: they age out by the retention.
   */
  private void deleteAbsent(Listing listing) {
    List<LocalObject> gone = ctx.store().read(r -> {
      List<LocalObject> found = new ArrayList<>();
      r.scan(domain, "", null, o -> {
        if (!o.dirty() && o.holdsSyncedData() && o.syncedRevision() <= listing.revision()
            && !listing.keys().contains(o.key())) {
          found.add(o);
        }
        return true;
      });
      return found;
    });
    // Re-checked inside the transaction: a local change since the scan keeps the object.
    ctx.counters().deletedByDatastore.addAndGet(ctx.store().removeUnchanged(gone));
  }

  private void applyRemote(List<StoredObject> versions, Mode mode) {
    if (versions.isEmpty()) {
      return;
    }
    Applied applied = ctx.store().write(w -> {
      Applied a = new Applied();
      for (StoredObject v : versions) {
        Optional<LocalObject> mine = w.get(v.getKey());
        Decision d = RemoteChangeRule.decide(mine, v, mode);
        switch (d.action()) {
          case ADOPT -> {
            if (v.getDeleted()) {
              // A tombstone for something we never had is a no-op; nothing to remember either.
              if (mine.isPresent()) {
                if (!mine.get().tombstone()) {
                  a.deleted++;
                }
                storeSynced(w, v.getKey(), v);
              }
            } else {
              w.upsert(LocalObject.synced(v));
              a.adopted++;
            }
            if (d.localChangeLost()) {
              a.lost.add(new StoredObject[] {mine.orElseThrow().object(), v});
            }
          }
          case REPUSH -> w.upsert(LocalObject.dirty(mine.orElseThrow().object(), mine.get().syncedRevision()));
          case KEEP -> { }
        }
      }
      return a;
    });
    report(applied);
  }

  private void report(Applied a) {
    ctx.counters().pulled.addAndGet(a.adopted);
    ctx.counters().deletedByDatastore.addAndGet(a.deleted);
    a.refused.forEach(r -> LOG.warn("datastore refused a local change, which stays local only: {}", r));
    for (StoredObject[] lost : a.lost) {
      ctx.counters().conflictsLost.incrementAndGet();
      LOG.info("local change to {} lost to a later write by {} (updated_ms {} > {})", lost[0].getKey(),
          lost[1].getOrigin(), lost[1].getUpdatedMs(), lost[0].getUpdatedMs());
      try {
        ctx.listener().onConflictLost(lost[0], lost[1]);
      } catch (RuntimeException e) {
        LOG.warn("sync listener failed on a lost conflict for {}", lost[0].getKey(), e);
      }
    }
  }

  // ---- trust -----------------------------------------------------------------------------------------

  private void trust(Response response) {
    Identity got = response.getIdentity();
    if (!got.getClusterId().equals(identity.getClusterId()) || got.getIncarnation() != identity.getIncarnation()) {
      throw new IdentityShiftedException("datastore identity changed mid-cycle from cluster "
          + identity.getClusterId() + " incarnation " + identity.getIncarnation() + " to cluster "
          + got.getClusterId() + " incarnation " + got.getIncarnation());
    }
  }

  private void trustRead(Response response) {
    trust(response);
    if (response.getIdentity().getRevision() < floor) {
      throw new IdentityShiftedException("datastore answered a read at revision "
          + response.getIdentity().getRevision() + ", older than the required " + floor);
    }
  }
}
