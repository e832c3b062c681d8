package io.gravwell.datastore.client.content;

import io.gravwell.datastore.client.store.LocalObject;
import io.gravwell.datastore.client.store.LocalStore;
import io.gravwell.datastore.protocol.v1.ObjectKey;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Finds content versions that no owner names any more and deletes their chunks. They are left behind
 * when a webserver dies between storing an upload's chunks and pointing the metadata at them, and when a
 * version loses a conflict on its metadata to another webserver's upload.
 *
 * <p>A version is an orphan when its owner's metadata names another version (or the owner is gone), it
 * is not being uploaded here right now, and its newest chunk is older than a grace period. The grace is
 * short for this webserver's own chunks, whose uploads it knows about, and long for other webservers'
 * chunks, whose metadata may simply not have arrived yet: a webserver pushes chunks before the metadata
 * naming them, and may go offline in between.
 */
public final class OrphanChunkSweep {

  /** Chunk numbers are 8 digits; no chunk of a version sorts after this one. */
  private static final String PAST_LAST_CHUNK = "99999999";

  private final ContentStore content;
  private final LocalStore store;
  private final String domain;
  private final String origin;
  private final Clock clock;
  private final Duration ownGrace;
  private final Duration othersGrace;

  OrphanChunkSweep(ContentStore content, LocalStore store, String domain, String origin, Clock clock,
      Duration ownGrace, Duration othersGrace) {
    this.content = content;
    this.store = store;
    this.domain = domain;
    this.origin = origin;
    this.clock = clock;
    this.ownGrace = ownGrace;
    this.othersGrace = othersGrace;
  }

  /**
   * One pass over every version in the local store.
   *
   * @param currentVersion the version an owner's metadata names now; empty when the owner is gone or
   *     names no content
   * @return the versions whose chunks were deleted
   */
  public List<String> sweep(Function<String, Optional<String>> currentVersion) {
    List<String> deleted = new ArrayList<>();
    ObjectKey after = null;
    while (true) {
      Optional<LocalObject> first = firstChunkAfter(after);
      if (first.isEmpty()) {
        return deleted;
      }
      ChunkId id = ChunkId.parse(first.get().object().getKey().getId());
      after = ChunkKeys.of(domain, id.owner(), id.version(), PAST_LAST_CHUNK);
      if (id.version().equals(currentVersion.apply(id.owner()).orElse(null))
          || content.isUploading(id.version())) {
        continue;
      }
      List<LocalObject> live = liveChunks(id, first.get());
      if (!live.isEmpty() && old(live)) {
        content.deleteChunks(live.stream().map(o -> o.object().getKey()).toList());
        deleted.add(id.owner() + "/" + id.version());
      }
    }
  }

  private Optional<LocalObject> firstChunkAfter(ObjectKey after) {
    return store.read(r -> {
      LocalObject[] hit = new LocalObject[1];
      r.scan(domain, ContentStore.CHUNK_KIND, after, o -> {
        hit[0] = o;
        return false;
      });
      return Optional.ofNullable(hit[0]);
    });
  }

  private List<LocalObject> liveChunks(ChunkId id, LocalObject first) {
    String prefix = id.owner() + "/" + id.version() + "/";
    return store.read(r -> {
      List<LocalObject> chunks = new ArrayList<>();
      if (!first.tombstone()) {
        chunks.add(first);
      }
      r.scan(domain, ContentStore.CHUNK_KIND, first.object().getKey(), o -> {
        if (!o.object().getKey().getId().startsWith(prefix)) {
          return false;
        }
        if (!o.tombstone()) {
          chunks.add(o);
        }
        return true;
      });
      return chunks;
    });
  }

  private boolean old(List<LocalObject> chunks) {
    long newest = 0;
    boolean mine = false;
    for (LocalObject o : chunks) {
      newest = Math.max(newest, o.object().getUpdatedMs());
      mine |= o.object().getOrigin().equals(origin);
    }
    Duration grace = mine ? ownGrace : othersGrace;
    return clock.millis() - newest >= grace.toMillis();
  }

  /** The parts of a chunk id, read from the right: an owner id may itself contain '/'. */
  private record ChunkId(String owner, String version) {
    static ChunkId parse(String id) {
      int n = id.lastIndexOf('/');
      int v = n <= 0 ? -1 : id.lastIndexOf('/', n - 1);
      if (v <= 0) {
        throw new IllegalStateException("not a chunk id: " + id);
      }
      return new ChunkId(id.substring(0, v), id.substring(v + 1, n));
    }
  }
}
