package io.gravwell.datastore.client.content;

import static org.assertj.core.api.Assertions.assertThat;

import io.gravwell.datastore.client.TestClock;
import io.gravwell.datastore.client.store.LocalObject;
import io.gravwell.datastore.client.store.XodusLocalStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The orphan sweep against a real local store and a hand-moved clock. */
class OrphanChunkSweepTest {
  private static final Duration OWN = Duration.ofMinutes(15);
  private static final Duration OTHERS = Duration.ofHours(24);

  @TempDir Path dir;
  private final TestClock clock = new TestClock(1_000_000);
  private XodusLocalStore store;
  private ContentStore mine;
  private ContentStore theirs;
  // owner -> the version its metadata names, as the embedding webserver would answer
  private final Map<String, String> named = new HashMap<>();

  @BeforeEach
  void open() throws IOException {
    store = XodusLocalStore.open(dir);
    mine = new ContentStore("d", "me", store, clock, new SplittableRandom(1), () -> 4, () -> {});
    theirs = new ContentStore("d", "them", store, clock, new SplittableRandom(2), () -> 4, () -> {});
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void keepsTheNamedVersionAndDeletesAReplacedOneOnlyAfterTheGrace() throws IOException {
    long uploadedAt = clock.millis();
    ContentManifest v1 = upload(mine, "r1", "first version");
    ContentManifest v2 = upload(mine, "r1", "second");
    named.put("r1", v2.version()); // as if the webserver died before deleting v1

    clock.advance(Duration.ofMillis(uploadedAt + OWN.toMillis() - 1 - clock.millis()));
    assertThat(sweep(mine)).isEmpty();
    clock.advance(Duration.ofMillis(1));
    assertThat(sweep(mine)).containsExactly("r1/" + v1.version());

    assertThat(liveChunks("r1/" + v1.version())).isEmpty();
    assertThat(tombstones("r1/" + v1.version())).hasSize(v1.chunkCount()).allMatch(LocalObject::dirty);
    assertThat(liveChunks("r1/" + v2.version())).hasSize(v2.chunkCount());
    assertThat(sweep(mine)).as("nothing left to delete").isEmpty();
  }

  @Test
  void anotherWebserversChunksGetTheLongGraceTheirMetadataMayStillBeOnItsWay() throws IOException {
    ContentManifest v = upload(theirs, "r2", "theirs, metadata not here yet");

    clock.advance(OWN.multipliedBy(10));
    assertThat(sweep(mine)).isEmpty();
    assertThat(liveChunks("r2/" + v.version())).hasSize(v.chunkCount());
    clock.advance(OTHERS);
    assertThat(sweep(mine)).containsExactly("r2/" + v.version());
  }

  @Test
  void theChunksOfADeletedOwnerGo() throws IOException {
    ContentManifest v = upload(mine, "gone", "abcdefgh");
    ContentManifest kept = upload(mine, "kept", "ijkl");
    named.put("kept", kept.version());
    clock.advance(OWN);
    assertThat(sweep(mine)).containsExactly("gone/" + v.version());
    assertThat(liveChunks("kept/" + kept.version())).hasSize(1);
  }

  @Test
  void anUploadInProgressIsNeverTakenForALeftoverHoweverSlow() throws IOException {
    List<List<String>> sweptMidUpload = new ArrayList<>();
    // Each read of the upload happens an hour after the last, and runs a sweep first.
    InputStream slow = new ByteArrayInputStream("a slow upload of many chunks".getBytes()) {
      @Override
      public synchronized int read(byte[] b, int off, int len) {
        clock.advance(Duration.ofHours(1));
        sweptMidUpload.add(sweep(mine));
        return super.read(b, off, len);
      }
    };
    ContentManifest m = mine.write("r3", slow, 1_000, null);
    named.put("r3", m.version());

    assertThat(sweptMidUpload).hasSizeGreaterThan(3).allMatch(List::isEmpty);
    assertThat(liveChunks("r3/" + m.version())).hasSize(m.chunkCount());
  }

  @Test
  void ownersWhoseIdsContainSlashesAreParsedFromTheRight() throws IOException {
    ContentManifest v = upload(mine, "a/b/c", "nested owner id");
    named.put("a/b/c", "another-version");
    clock.advance(OWN);
    assertThat(sweep(mine)).containsExactly("a/b/c/" + v.version());
  }

  private ContentManifest upload(ContentStore as, String owner, String text) throws IOException {
    ContentManifest m = as.write(owner, new ByteArrayInputStream(text.getBytes()), 1_000, null);
    clock.tick();
    return m;
  }

  private List<String> sweep(ContentStore as) {
    return as.orphanSweep(OWN, OTHERS).sweep(owner -> Optional.ofNullable(named.get(owner)));
  }

  private List<LocalObject> liveChunks(String prefix) {
    return chunks(prefix).stream().filter(o -> !o.tombstone()).toList();
  }

  private List<LocalObject> tombstones(String prefix) {
    return chunks(prefix).stream().filter(LocalObject::tombstone).toList();
  }

  private List<LocalObject> chunks(String prefix) {
    return store.list("d", ContentStore.CHUNK_KIND).stream()
        .filter(o -> o.object().getKey().getId().startsWith(prefix + "/")).toList();
  }
}
