package io.gravwell.datastore.client.sync;

import io.gravwell.datastore.client.store.SyncCheckpoint;
import io.gravwell.datastore.protocol.v1.Identity;
import java.util.Objects;
import java.util.Optional;

/**
 * The heart of the safety story: may this webserver trust the datastore's answers as evidence about
 * objects it already synced? Pure functions of what the webserver remembers and what the datastore says.
 *
 * <p>A local object is deleted because of the datastore only on positive evidence from the same history
 * (same cluster id and incarnation): a tombstone, or a full listing at a revision not older than the
 * checkpoint's. Everything else that could look like "the object is gone upstream" (a new or foreign
 * cluster, a restored backup, a revision that went backwards, an empty listing while we hold synced
 * objects) is answered by re-seeding the datastore from the local copy, never by deleting.
 */
public final class IdentityCheck {

  private IdentityCheck() {}

  public enum Kind {
    /** The datastore has not committed a cluster id yet: do nothing this cycle. */
    WAIT,
    /** Never synced and nothing synced to lose: push local changes, pull everything. */
    FIRST_SYNC,
    /** Same history: incremental sync; tombstones and not-older full listings are evidence. */
    SAME,
    /** The history we synced with is gone or foreign: push everything, delete nothing, adopt the new one. */
    RESEED
  }

  public enum Reason {
    DIFFERENT_CLUSTER,
    INCARNATION_CHANGED,
    REVISION_WENT_BACKWARDS,
    EMPTY_STORE_WITH_SYNCED_OBJECTS,
    /** Synced objects but no checkpoint (lost or copied store): we cannot tell which history they came from. */
    CHECKPOINT_MISSING
  }

  /** @param reason set only for {@link Kind#RESEED} */
  public record Verdict(Kind kind, Reason reason) {
    public static final Verdict WAIT = new Verdict(Kind.WAIT, null);
    public static final Verdict FIRST_SYNC = new Verdict(Kind.FIRST_SYNC, null);
    public static final Verdict SAME = new Verdict(Kind.SAME, null);

    public Verdict {
      Objects.requireNonNull(kind, "kind");
      if ((kind == Kind.RESEED) != (reason != null)) {
        throw new IllegalArgumentException("a reason goes with RESEED and only with it");
      }
    }

    public static Verdict reseed(Reason reason) {
      return new Verdict(Kind.RESEED, reason);
    }

    public boolean deletionsAllowed() {
      return kind == Kind.SAME;
    }

    @Override
    public String toString() {
      return reason == null ? kind.name() : kind + "(" + reason + ")";
    }
  }

  /**
   * Judges an answer's identity (a ping's, at the start of a cycle).
   *
   * @param local what this webserver last synced with; empty if never
   * @param holdsSynced whether the local store holds objects that were synced at least once
   */
  public static Verdict check(Optional<SyncCheckpoint> local, boolean holdsSynced, Identity remote) {
    if (remote.getClusterId().isEmpty()) {
      return Verdict.WAIT;
    }
    if (local.isEmpty()) {
      return holdsSynced ? Verdict.reseed(Reason.CHECKPOINT_MISSING) : Verdict.FIRST_SYNC;
    }
    SyncCheckpoint cp = local.get();
    if (!cp.clusterId().equals(remote.getClusterId())) {
      return Verdict.reseed(Reason.DIFFERENT_CLUSTER);
    }
    if (cp.incarnation() != remote.getIncarnation()) {
      return Verdict.reseed(Reason.INCARNATION_CHANGED);
    }
    if (remote.getRevision() < cp.revision()) {
      return Verdict.reseed(Reason.REVISION_WENT_BACKWARDS);
    }
    return Verdict.SAME;
  }

  /**
   * Judges a complete full listing (every page read) before absent objects may be deleted: the identity
   * rules above at the listing's (oldest page's) identity, and an empty listing is never evidence while
   * synced objects are held: a datastore that lost everything looks exactly like that.
   */
  public static Verdict checkFullListing(
      Optional<SyncCheckpoint> local, boolean holdsSynced, Identity listedAt, boolean listingEmpty) {
    Verdict v = check(local, holdsSynced, listedAt);
    if (v.kind() == Kind.SAME && listingEmpty && holdsSynced) {
      return Verdict.reseed(Reason.EMPTY_STORE_WITH_SYNCED_OBJECTS);
    }
    return v;
  }
}
