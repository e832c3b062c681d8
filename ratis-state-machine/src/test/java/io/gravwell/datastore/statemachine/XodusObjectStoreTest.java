package io.gravwell.datastore.statemachine;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.gravwell.datastore.protocol.v1.StoredObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class XodusObjectStoreTest {

  @TempDir Path dir;

  /**
   * Objects read back from the log span many of its pages (resource chunks are 512 KiB, pages 64 KiB), by
   * key and by change scan, also after a reopen, when nothing is in memory (XodusBytesTest covers the copy).
   */
  @Test
  void payloadsSpanningManyPagesReadBackByteForByte() throws Exception {
    Random random = new Random(7);
    List<StoredObject> written = new ArrayList<>();
    for (int size : new int[] {0, 1, 65_535, 65_536, 65_537, 524_288, 700_001}) {
      byte[] payload = new byte[size];
      random.nextBytes(payload);
      written.add(Entries.object(Entries.key("o" + size), "", 1, "w").toBuilder()
          .setPayload(ByteString.copyFrom(payload)).setModRev(written.size() + 1).build());
    }
    try (XodusObjectStore store = XodusObjectStore.open(dir)) {
      store.write(w -> {
        written.forEach(w::put);
        return null;
      });
      assertReadsBack(store, written);
    }
    try (XodusObjectStore store = XodusObjectStore.open(dir)) {
      assertReadsBack(store, written);
      List<StoredObject> scanned = new ArrayList<>();
      store.read(r -> {
        r.scanChanges(0, scanned::add);
        return null;
      });
      assertThat(scanned).containsExactlyInAnyOrderElementsOf(written);
    }
  }

  /**
   * {@code replace}, handed what the key holds, leaves the change and tombstone indexes as {@code put} would:
   * one row per object, none for a version that is gone. Apply hands it over to spare the store a second
   * read; a stale row would show here as an object visited twice.
   */
  @Test
  void replaceGivenTheCurrentObjectKeepsTheIndexesInStep() throws Exception {
    StoredObject v1 = Entries.object(Entries.key("a"), "one", 1, "w").toBuilder().setModRev(1).build();
    StoredObject v2 = v1.toBuilder().setModRev(2).setUpdatedMs(2).build();
    StoredObject gone = v2.toBuilder().setModRev(3).setDeleted(true).setDeletedAtMs(100).build();
    StoredObject back = v2.toBuilder().setModRev(4).setUpdatedMs(4).build();
    try (XodusObjectStore store = XodusObjectStore.open(dir)) {
      store.write(w -> {
        w.replace(v1, Optional.empty());
        w.replace(v2, Optional.of(v1));
        return null;
      });
      assertThat(changes(store)).containsExactly(v2);
      store.write(w -> {
        w.replace(gone, Optional.of(v2));
        return null;
      });
      assertThat(changes(store)).containsExactly(gone);
      assertThat(tombstones(store)).containsExactly(gone);
      store.write(w -> {
        w.replace(back, Optional.of(gone));
        return null;
      });
      assertThat(changes(store)).containsExactly(back);
      assertThat(tombstones(store)).isEmpty();
    }
  }

  private static List<StoredObject> changes(XodusObjectStore store) {
    List<StoredObject> seen = new ArrayList<>();
    store.read(r -> {
      r.scanChanges(0, seen::add);
      return null;
    });
    return seen;
  }

  private static List<StoredObject> tombstones(XodusObjectStore store) {
    List<StoredObject> seen = new ArrayList<>();
    store.read(r -> {
      r.scanTombstones(Long.MAX_VALUE - 1, seen::add);
      return null;
    });
    return seen;
  }

  private static void assertReadsBack(XodusObjectStore store, List<StoredObject> written) {
    for (StoredObject o : written) {
      Optional<StoredObject> read = store.read(r -> r.get(o.getKey()));
      assertThat(read).contains(o);
    }
  }
}
