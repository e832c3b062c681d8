package io.gravwell.datastore.client.content;

import com.google.protobuf.ByteString;
import io.gravwell.datastore.client.store.LocalObject;
import io.gravwell.datastore.client.store.LocalStore;
import io.gravwell.datastore.client.store.LocalWriter;
import io.gravwell.datastore.protocol.v1.Acl;
import io.gravwell.datastore.protocol.v1.ObjectKey;
import io.gravwell.datastore.protocol.v1.StoredObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;
import java.util.stream.IntStream;
import java.util.random.RandomGenerator;

/**
 * Large content (resources) as chunk objects in the local store, synced like any other object. Content
 * never sits whole in heap: an upload is read one chunk at a time and each chunk is stored as it
 * arrives; a download is written out one chunk at a time.
 *
 * <p>The protocol a caller follows (see the reference webserver's ResourcesApi): {@link #write} the new
 * version's chunks, then store the returned manifest in the owning metadata object, then
 * {@link #deleteVersion} the manifest it replaced. The sync agent pushes chunks before metadata and the
 * old version's deletes last (see sync.PushOrder), so other webservers see whole versions.
 *
 * <p>Chunk deletes are internal bookkeeping: unlike {@code WebserverSync.delete} they are queued even
 * while the datastore is unreachable, or an upload made offline would leave its old version behind.
 */
public final class ContentStore {

  /** The kind of chunk objects. */
  public static final String CHUNK_KIND = "resource_chunk";
  /** A chunk plus its object's envelope stays far below the node's default 1 MiB entry limit. */
  public static final int DEFAULT_CHUNK_BYTES = 512 * 1024;
  /** Chunks shrink to half a smaller entry limit, but not below this. */
  public static final int MIN_CHUNK_BYTES = 64 * 1024;
  // Tombstones per write transaction when deleting a version: short transactions, few fsyncs.
  private static final int DELETES_PER_TXN = 64;

  private final String domain;
  private final String origin;
  private final LocalStore store;
  private final Clock clock;
  private final RandomGenerator random;
  private final IntSupplier chunkBytes;
  private final Runnable changed;
  // Versions being written right now: the orphan sweep must not take an upload for a leftover.
  private final Set<String> uploading = ConcurrentHashMap.newKeySet();

  /**
   * @param chunkBytes the chunk size for new uploads (asked once per upload)
   * @param changed told after local changes, so the sync agent pushes them soon
   */
  public ContentStore(String domain, String origin, LocalStore store, Clock clock, RandomGenerator random,
      IntSupplier chunkBytes, Runnable changed) {
    this.domain = domain;
    this.origin = origin;
    this.store = store;
    this.clock = clock;
    this.random = random;
    this.chunkBytes = chunkBytes;
    this.changed = changed;
  }

  /** The chunk size for a cluster that accepts entries of {@code maxEntryBytes} (0 = unknown). */
  public static int chunkBytesFor(int maxEntryBytes) {
    return maxEntryBytes <= 0 ? DEFAULT_CHUNK_BYTES
        : Math.max(MIN_CHUNK_BYTES, Math.min(DEFAULT_CHUNK_BYTES, maxEntryBytes / 2));
  }

  /**
   * Stores {@code in} as a new version of {@code owner}'s content, one chunk at a time. Nothing partial
   * is left behind: if the content exceeds {@code maxBytes} or reading fails, the chunks written so far
   * are deleted again before the exception leaves.
   *
   * @throws ContentTooLargeException after reading at most one chunk beyond {@code maxBytes}
   */
  public ContentManifest write(String owner, InputStream in, long maxBytes, Acl acl) throws IOException {
    int size = chunkBytes.getAsInt();
    String version = newVersion();
    uploading.add(version);
    try {
      return writeVersion(owner, version, in, size, maxBytes, acl);
    } finally {
      uploading.remove(version);
    }
  }

  private ContentManifest writeVersion(String owner, String version, InputStream in, int size, long maxBytes,
      Acl acl) throws IOException {
    MessageDigest sha = Sha256.digest();
    byte[] buf = new byte[size];
    long total = 0;
    int n = 0;
    try {
      while (true) {
        int got = in.readNBytes(buf, 0, size);
        if (got == 0) {
          break;
        }
        total += got;
        if (total > maxBytes) {
          throw new ContentTooLargeException(maxBytes);
        }
        sha.update(buf, 0, got);
        putChunk(ChunkKeys.of(domain, owner, version, n), ByteString.copyFrom(buf, 0, got), acl);
        n++;
        changed.run();
        if (got < size) {
          break; // readNBytes returns short only at the end of the stream
        }
      }
    } catch (IOException | RuntimeException e) {
      deleteChunks(owner, version, n);
      throw e;
    }
    return new ContentManifest(version, total, Sha256.hex(sha), n, n == 0 ? 0 : size);
  }

  /**
   * Whether every chunk of {@code m} is in the local store; checked newest chunk first, as chunks are
   * pushed (and so arrive) in order.
   *
   * @throws ContentNotSyncedException naming the first missing chunk found
   */
  public void checkComplete(String owner, ContentManifest m) {
    store.read(r -> {
      for (int i = m.chunkCount() - 1; i >= 0; i--) {
        if (r.get(ChunkKeys.of(domain, owner, m.version(), i)).filter(o -> !o.tombstone()).isEmpty()) {
          throw notSynced(i, m);
        }
      }
      return null;
    });
  }

  /**
   * Writes the content to {@code out} chunk by chunk, verifying size and SHA-256. The last chunk is held
   * back until the hash of everything is known to match, so a reader never receives all the bytes of a
   * corrupt version.
   *
   * @throws ContentNotSyncedException if a chunk is missing
   * @throws ContentCorruptException if the size or hash does not match the manifest
   */
  public void transferTo(String owner, ContentManifest m, OutputStream out) throws IOException {
    ContentAssembly assembly = new ContentAssembly(m);
    for (int i = 0; i < m.chunkCount(); i++) {
      int n = i;
      ByteString chunk = store.read(r -> r.get(ChunkKeys.of(domain, owner, m.version(), n)))
          .filter(o -> !o.tombstone())
          .orElseThrow(() -> notSynced(n, m))
          .object().getPayload();
      assembly.add(chunk);
      chunk.writeTo(out);
    }
    assembly.finish();
  }

  /**
   * A sweep for versions no owner names any more (see {@link OrphanChunkSweep}).
   *
   * @param ownGrace how old this webserver's own leftover chunks must be before they go
   * @param othersGrace the same for other webservers' chunks, whose metadata may still be on its way
   */
  public OrphanChunkSweep orphanSweep(Duration ownGrace, Duration othersGrace) {
    return new OrphanChunkSweep(this, store, domain, origin, clock, ownGrace, othersGrace);
  }

  boolean isUploading(String version) {
    return uploading.contains(version);
  }

  /** Queues deletes for every chunk of {@code m}, whether or not this webserver has them yet. */
  public void deleteVersion(String owner, ContentManifest m) {
    deleteChunks(owner, m.version(), m.chunkCount());
  }

  private void deleteChunks(String owner, String version, int count) {
    deleteChunks(IntStream.range(0, count).mapToObj(i -> ChunkKeys.of(domain, owner, version, i)).toList());
  }


  /** Tombstones {@code keys} in short transactions. */
  void deleteChunks(List<ObjectKey> keys) {
    for (int from = 0; from < keys.size(); from += DELETES_PER_TXN) {
      List<ObjectKey> slice = keys.subList(from, Math.min(keys.size(), from + DELETES_PER_TXN));
      store.write(w -> {
        slice.forEach(k -> tombstone(w, k));
        return null;
      });
    }
    if (!keys.isEmpty()) {
      changed.run();
    }
  }

  private void putChunk(ObjectKey key, ByteString payload, Acl acl) {
    StoredObject.Builder o = StoredObject.newBuilder()
        .setKey(key)
        .setPayload(payload)
        .setUpdatedMs(clock.millis())
        .setOrigin(origin);
    if (acl != null) {
      o.setAcl(acl);
    }
    store.upsert(LocalObject.dirty(o.build(), 0));
  }

  /**
   * A tombstone even for a chunk not here yet: when it does arrive, the datastore's last-writer-wins
   * has already decided against it, so it is not left behind as an orphan.
   */
  private void tombstone(LocalWriter w, ObjectKey key) {
    Optional<LocalObject> old = w.get(key);
    if (old.isPresent() && old.get().tombstone()) {
      return;
    }
    long stamp = Math.max(clock.millis(), old.map(o -> o.object().getUpdatedMs() + 1).orElse(1L));
    w.upsert(LocalObject.dirty(StoredObject.newBuilder()
        .setKey(key)
        .setUpdatedMs(stamp)
        .setOrigin(origin)
        .setDeleted(true)
        .build(), old.map(LocalObject::syncedRevision).orElse(0L)));
  }

  private String newVersion() {
    byte[] id = new byte[12];
    random.nextBytes(id);
    return HexFormat.of().formatHex(id);
  }

  private static ContentNotSyncedException notSynced(int chunk, ContentManifest m) {
    return new ContentNotSyncedException("content not yet synced: chunk " + chunk + " of " + m.chunkCount()
        + " (version " + m.version() + ") is not here yet");
  }
}
