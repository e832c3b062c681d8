package io.gravwell.datastore.client.sync;

import io.gravwell.datastore.client.store.LocalObject;
import io.gravwell.datastore.client.store.LocalStore;
import io.gravwell.datastore.protocol.v1.ObjectKey;
import io.gravwell.datastore.protocol.v1.StoredObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Ages out remembered deletes (see {@link LocalObject}). A delete is kept for the tombstone retention, as
 * long as the nodes keep their own tombstones: past it, a webserver that missed the delete meets a
 * compacted history and lists everything anyway, so remembering longer protects nothing.
 */
final class RememberedDeletes {

  /** Keys removed per local transaction: a week of deletes must not be one huge transaction. */
  static final int PAGE = 1000;

  private RememberedDeletes() {}

  /**
   * When a delete happened, as far as this webserver can tell: the later of the deleting writer's stamp
   * and the node's apply time, so a writer whose clock runs behind does not make it age early.
   */
  static long deletedAtMs(StoredObject tombstone) {
    return Math.max(tombstone.getUpdatedMs(), tombstone.getDeletedAtMs());
  }

  /** Forgets the remembered deletes of {@code domain} that happened before {@code cutoffMs}; returns how many. */
  static int forgetBefore(LocalStore store, String domain, long cutoffMs) {
    int forgotten = 0;
    ObjectKey after = null;
    while (true) {
      ObjectKey from = after;
      List<LocalObject> expired = new ArrayList<>();
      ObjectKey last = store.read(r -> {
        ObjectKey[] seen = {null};
        r.scan(domain, "", from, o -> {
          seen[0] = o.key();
          if (o.rememberedDelete() && deletedAtMs(o.object()) < cutoffMs) {
            expired.add(o);
          }
          return expired.size() < PAGE;
        });
        return seen[0];
      });
      // Re-checked inside the transaction: a put or a newer delete since the scan is kept.
      forgotten += store.removeUnchanged(expired);
      if (last == null || expired.size() < PAGE) {
        return forgotten;
      }
      after = last;
    }
  }
}
