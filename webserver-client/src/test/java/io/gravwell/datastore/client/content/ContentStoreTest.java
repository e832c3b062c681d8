package io.gravwell.datastore.client.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.gravwell.datastore.client.TestClock;
import io.gravwell.datastore.client.store.LocalObject;
import io.gravwell.datastore.client.store.XodusLocalStore;
import io.gravwell.datastore.protocol.v1.ObjectKey;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Chunking and assembly against a real local store, with a tiny chunk size so edges are easy to hit. */
class ContentStoreTest {
  private static final int CHUNK = 10;

  @TempDir Path dir;
  private XodusLocalStore store;
  private ContentStore content;
  private final AtomicInteger changes = new AtomicInteger();

  @BeforeEach
  void open() throws IOException {
    store = XodusLocalStore.open(dir);
    content = new ContentStore("d", "ws", store, new TestClock(1_000), new SplittableRandom(7), () -> CHUNK,
        changes::incrementAndGet);
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void splitsInOrderWithAShortLastChunkAndAssemblesTheSameBytes() throws Exception {
    byte[] data = bytes(25);
    ContentManifest m = content.write("r1", new ByteArrayInputStream(data), 100, null);

    assertThat(m.size()).isEqualTo(25);
    assertThat(m.chunkCount()).isEqualTo(3);
    assertThat(m.chunkBytes()).isEqualTo(CHUNK);
    assertThat(m.sha256()).isEqualTo(sha256(data));
    assertThat(chunkIds()).containsExactly(
        "r1/" + m.version() + "/00000000", "r1/" + m.version() + "/00000001", "r1/" + m.version() + "/00000002");
    assertThat(store.list("d", ContentStore.CHUNK_KIND)).allMatch(LocalObject::dirty);
    assertThat(payload(m, 2)).hasSize(5);
    assertThat(changes.get()).isPositive();

    content.checkComplete("r1", m);
    assertThat(read(m)).isEqualTo(data);
  }

  @Test
  void contentOfExactlyWholeChunksHasNoEmptyTail() throws Exception {
    ContentManifest m = content.write("r1", new ByteArrayInputStream(bytes(20)), 100, null);
    assertThat(m.chunkCount()).isEqualTo(2);
    assertThat(read(m)).isEqualTo(bytes(20));
  }

  @Test
  void emptyContentHasNoChunksAndAssemblesToNothing() throws Exception {
    ContentManifest m = content.write("r1", InputStream.nullInputStream(), 100, null);

    assertThat(m.isEmpty()).isTrue();
    assertThat(m.sha256()).isEqualTo(sha256(new byte[0]));
    assertThat(store.list("d", ContentStore.CHUNK_KIND)).isEmpty();
    content.checkComplete("r1", m);
    assertThat(read(m)).isEmpty();
  }

  @Test
  void aMissingChunkIsNotSyncedAndNoCompleteCopyIsHandedOut() throws Exception {
    ContentManifest m = content.write("r1", new ByteArrayInputStream(bytes(25)), 100, null);
    store.remove(ChunkKeys.of("d", "r1", m.version(), 1));

    assertThatThrownBy(() -> content.checkComplete("r1", m))
        .isInstanceOf(ContentNotSyncedException.class).hasMessageContaining("chunk 1 of 3");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThatThrownBy(() -> content.transferTo("r1", m, out)).isInstanceOf(ContentNotSyncedException.class);
    assertThat(out.size()).isEqualTo(CHUNK);
  }

  @Test
  void aHashMismatchIsCaughtBeforeTheLastChunkIsWritten() throws Exception {
    byte[] data = bytes(25);
    ContentManifest m = content.write("r1", new ByteArrayInputStream(data), 100, null);
    ObjectKey first = ChunkKeys.of("d", "r1", m.version(), 0);
    LocalObject o = store.get(first).orElseThrow();
    byte[] flipped = o.object().getPayload().toByteArray();
    flipped[3] ^= 1;
    store.upsert(LocalObject.synced(o.object().toBuilder().setPayload(ByteString.copyFrom(flipped)).build()));

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThatThrownBy(() -> content.transferTo("r1", m, out))
        .isInstanceOf(ContentCorruptException.class).hasMessageContaining("SHA-256");
    assertThat(out.size()).as("the last chunk is held back").isEqualTo(2 * CHUNK);
  }

  @Test
  void aWrongSizedChunkIsCorrupt() throws Exception {
    ContentManifest m = content.write("r1", new ByteArrayInputStream(bytes(25)), 100, null);
    ObjectKey first = ChunkKeys.of("d", "r1", m.version(), 0);
    LocalObject o = store.get(first).orElseThrow();
    store.upsert(LocalObject.synced(o.object().toBuilder().setPayload(ByteString.copyFrom(bytes(9))).build()));

    assertThatThrownBy(() -> read(m)).isInstanceOf(ContentCorruptException.class).hasMessageContaining("chunk 0");
  }

  @Test
  void contentAboveTheLimitIsRefusedAndLeavesOnlyDeletesBehind() {
    assertThatThrownBy(() -> content.write("r1", new ByteArrayInputStream(bytes(35)), 30, null))
        .isInstanceOf(ContentTooLargeException.class);

    // The three chunks written before the limit was passed are tombstones now (queued deletes, in case a
    // sync cycle pushed them meanwhile): no content is left.
    List<LocalObject> left = store.list("d", ContentStore.CHUNK_KIND);
    assertThat(left).hasSize(3).allMatch(LocalObject::tombstone);
  }

  @Test
  void contentOfExactlyTheLimitIsAccepted() throws Exception {
    ContentManifest m = content.write("r1", new ByteArrayInputStream(bytes(30)), 30, null);
    assertThat(m.size()).isEqualTo(30);
  }

  @Test
  void aFailingUploadLeavesNoContent() {
    // One and a half chunks arrive, then the connection breaks.
    InputStream broken = new java.io.SequenceInputStream(new ByteArrayInputStream(bytes(15)), new InputStream() {
      @Override
      public int read() throws IOException {
        throw new IOException("client went away");
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        throw new IOException("client went away");
      }
    });
    assertThatThrownBy(() -> content.write("r1", broken, 100, null)).isInstanceOf(IOException.class);
    assertThat(store.list("d", ContentStore.CHUNK_KIND)).hasSize(1).allMatch(LocalObject::tombstone);
  }

  @Test
  void deletingAVersionTombstonesItsChunksEvenThoseNotHereYet() throws Exception {
    ContentManifest old = content.write("r1", new ByteArrayInputStream(bytes(25)), 100, null);
    ContentManifest now = content.write("r1", new ByteArrayInputStream(bytes(12)), 100, null);
    store.remove(ChunkKeys.of("d", "r1", old.version(), 2)); // as if it had not arrived from the datastore

    content.deleteVersion("r1", old);

    assertThat(store.list("d", ContentStore.CHUNK_KIND))
        .filteredOn(o -> o.key().getId().contains(old.version())).hasSize(3).allMatch(LocalObject::tombstone);
    assertThat(read(now)).isEqualTo(bytes(12));
  }

  @Test
  void chunksFollowTheClusterEntryLimit() {
    assertThat(ContentStore.chunkBytesFor(0)).isEqualTo(ContentStore.DEFAULT_CHUNK_BYTES);
    assertThat(ContentStore.chunkBytesFor(1024 * 1024)).isEqualTo(512 * 1024);
    assertThat(ContentStore.chunkBytesFor(600 * 1024)).isEqualTo(300 * 1024);
    assertThat(ContentStore.chunkBytesFor(4 * 1024 * 1024)).isEqualTo(512 * 1024);
    assertThat(ContentStore.chunkBytesFor(1000)).isEqualTo(ContentStore.MIN_CHUNK_BYTES);
  }

  private byte[] read(ContentManifest m) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    content.transferTo("r1", m, out);
    return out.toByteArray();
  }

  private byte[] payload(ContentManifest m, int n) {
    return store.get(ChunkKeys.of("d", "r1", m.version(), n)).orElseThrow().object().getPayload().toByteArray();
  }

  private List<String> chunkIds() {
    return store.list("d", ContentStore.CHUNK_KIND).stream().map(o -> o.key().getId()).toList();
  }

  private static byte[] bytes(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (i * 7 + 1);
    }
    return b;
  }

  private static String sha256(byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
  }
}
