package io.gravwell.datastore.statemachine;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.gravwell.datastore.protocol.v1.StoredObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

  private static void assertReadsBack(XodusObjectStore store, List<StoredObject> written) {
    for (StoredObject o : written) {
      java.util.Optional<StoredObject> read = store.read(r -> r.get(o.getKey()));
      assertThat(read).contains(o);
    }
  }
}
