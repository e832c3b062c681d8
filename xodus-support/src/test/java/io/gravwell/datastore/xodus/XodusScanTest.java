package io.gravwell.datastore.xodus;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jetbrains.exodus.ArrayByteIterable;
import jetbrains.exodus.env.Environment;
import jetbrains.exodus.env.Environments;
import jetbrains.exodus.env.Store;
import jetbrains.exodus.env.StoreConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class XodusScanTest {

  @TempDir Path dir;
  private Environment env;

  @BeforeEach
  void fill() {
    env = Environments.newInstance(dir.toFile());
    env.executeInTransaction(txn -> {
      Store store = env.openStore("s", StoreConfig.WITHOUT_DUPLICATES_WITH_PREFIXING, txn);
      for (String k : List.of("a/1", "a/2", "a/3", "ab/1", "b/1", "b/2")) {
        store.put(txn, new ArrayByteIterable(bytes(k)), new ArrayByteIterable(bytes("v" + k)));
      }
    });
  }

  @AfterEach
  void close() {
    env.close();
  }

  @Test
  void onlyKeysWithThePrefixInOrder() {
    assertThat(walk("a/", null, 100)).containsExactly("a/1=va/1", "a/2=va/2", "a/3=va/3");
    assertThat(walk("b/", null, 100)).containsExactly("b/1=vb/1", "b/2=vb/2");
    assertThat(walk("c/", null, 100)).isEmpty();
  }

  @Test
  void resumesStrictlyAfterTheKeyAPreviousPageEndedOn() {
    assertThat(walk("a/", "a/1", 100)).containsExactly("a/2=va/2", "a/3=va/3");
    assertThat(walk("a/", "a/3", 100)).isEmpty();
    // A resume key that is not stored, and one that sorts before the prefix.
    assertThat(walk("a/", "a/15", 100)).containsExactly("a/2=va/2", "a/3=va/3");
    assertThat(walk("b/", "a/9", 100)).containsExactly("b/1=vb/1", "b/2=vb/2");
  }

  @Test
  void theVisitorStopsTheWalk() {
    assertThat(walk("a/", null, 2)).containsExactly("a/1=va/1", "a/2=va/2");
  }

  @Test
  void prefixTest() {
    assertThat(XodusScan.startsWith(bytes("ab/1"), bytes("ab/"))).isTrue();
    assertThat(XodusScan.startsWith(bytes("ab/1"), bytes("a/"))).isFalse();
    assertThat(XodusScan.startsWith(bytes("a"), bytes("a/"))).isFalse();
    assertThat(XodusScan.startsWith(bytes("a"), new byte[0])).isTrue();
  }

  private List<String> walk(String prefix, String after, int max) {
    List<String> seen = new ArrayList<>();
    env.executeInReadonlyTransaction(txn -> {
      Store store = env.openStore("s", StoreConfig.WITHOUT_DUPLICATES_WITH_PREFIXING, txn);
      XodusScan.withPrefix(store, txn, bytes(prefix), after == null ? null : bytes(after), (k, v) -> {
        seen.add(new String(k, StandardCharsets.UTF_8) + "=" + new String(XodusBytes.copyOf(v), StandardCharsets.UTF_8));
        return seen.size() < max;
      });
    });
    return seen;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
