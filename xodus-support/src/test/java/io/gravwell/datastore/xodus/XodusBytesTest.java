package io.gravwell.datastore.xodus;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import jetbrains.exodus.ArrayByteIterable;
import jetbrains.exodus.ByteIterable;
import jetbrains.exodus.env.Environment;
import jetbrains.exodus.env.Environments;
import jetbrains.exodus.env.Store;
import jetbrains.exodus.env.StoreConfig;
import jetbrains.exodus.log.BlockByteIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class XodusBytesTest {

  @TempDir Path dir;

  /**
   * Resource chunks are 512 KiB and log pages 64 KiB: values read back span many pages, and the bulk copy
   * must stitch them together exactly, also after a reopen, when nothing is cached.
   */
  @Test
  void valuesSpanningManyPagesReadBackByteForByte() {
    Random random = new Random(7);
    Map<String, byte[]> written = new LinkedHashMap<>();
    for (int size : new int[] {0, 1, 65_535, 65_536, 65_537, 524_288, 700_001}) {
      byte[] value = new byte[size];
      random.nextBytes(value);
      written.put("v" + size, value);
    }
    Environment env = Environments.newInstance(dir.toFile());
    try {
      env.executeInTransaction(txn -> {
        Store store = env.openStore("values", StoreConfig.WITHOUT_DUPLICATES, txn);
        written.forEach((k, v) -> store.put(txn, key(k), new ArrayByteIterable(v)));
      });
      assertReadsBack(env, written, false);
    } finally {
      env.close();
    }
    Environment reopened = Environments.newInstance(dir.toFile());
    try {
      assertReadsBack(reopened, written, true);
    } finally {
      reopened.close();
    }
  }

  @Test
  void anInMemoryValueIsCopiedNotShared() {
    byte[] source = {1, 2, 3, 4};
    byte[] copy = XodusBytes.copyOf(new ArrayByteIterable(source, 3));
    assertThat(copy).containsExactly(1, 2, 3);
    source[0] = 9;
    assertThat(copy[0]).isEqualTo((byte) 1);
  }

  private static void assertReadsBack(Environment env, Map<String, byte[]> written, boolean fromLog) {
    env.executeInReadonlyTransaction(txn -> {
      Store store = env.openStore("values", StoreConfig.WITHOUT_DUPLICATES, txn);
      written.forEach((k, v) -> {
        ByteIterable read = store.get(txn, key(k));
        assertThat(read).as(k).isNotNull();
        if (fromLog && v.length > 0) {
          // Otherwise the test would pass through the in-memory branch alone.
          assertThat(read.iterator()).as(k).isInstanceOf(BlockByteIterator.class);
        }
        assertThat(XodusBytes.copyOf(read)).as(k).isEqualTo(v);
      });
    });
  }

  private static ByteIterable key(String k) {
    return new ArrayByteIterable(k.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }
}
