package io.gravwell.datastore.client.sync;

import io.gravwell.datastore.client.content.ContentStore;
import io.gravwell.datastore.client.store.LocalObject;
import java.util.List;
import java.util.function.Predicate;

/**
 * The order in which dirty objects leave for the datastore. Writers elsewhere pull changes in revision
 * order, so pushing a content version's chunks before the metadata that names it means a webserver that
 * sees the new metadata has (almost always) got the chunks too; pushing the old version's chunk deletes
 * last means the version it still shows stays whole until it sees the new one.
 */
final class PushOrder {

  static final String CHUNK_KIND = ContentStore.CHUNK_KIND;

  static final List<Predicate<LocalObject>> PASSES = List.of(
      o -> isChunk(o) && !o.tombstone(),
      o -> !isChunk(o),
      o -> isChunk(o) && o.tombstone());

  private PushOrder() {}

  static boolean isChunk(LocalObject o) {
    return o.key().getKind().equals(CHUNK_KIND);
  }
}
