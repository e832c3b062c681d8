package io.gravwell.datastore.xodus;

import java.util.Arrays;
import jetbrains.exodus.ArrayByteIterable;
import jetbrains.exodus.ByteIterable;
import jetbrains.exodus.env.Cursor;
import jetbrains.exodus.env.Store;
import jetbrains.exodus.env.Transaction;

/** Ordered walks over a store's keys, as both stores page through objects of one domain and kind. */
public final class XodusScan {
  private XodusScan() {}

  /** Receives one entry; returns false to stop the walk. The value is only valid during the call. */
  @FunctionalInterface
  public interface Visitor {
    boolean visit(byte[] key, ByteIterable value);
  }

  /**
   * Visits, in key order, the entries whose key starts with {@code prefix} and sorts after {@code afterKey}
   * (all of them when it is null), until the visitor returns false. {@code afterKey} itself is skipped: it is
   * where the caller's previous page ended.
   */
  public static void withPrefix(Store store, Transaction txn, byte[] prefix, byte[] afterKey, Visitor visitor) {
    byte[] start = afterKey != null && Arrays.compareUnsigned(afterKey, prefix) > 0 ? afterKey : prefix;
    try (Cursor c = store.openCursor(txn)) {
      if (c.getSearchKeyRange(new ArrayByteIterable(start)) == null) {
        return;
      }
      do {
        byte[] key = XodusBytes.copyOf(c.getKey());
        if (!startsWith(key, prefix)) {
          return;
        }
        if (afterKey != null && Arrays.equals(key, afterKey)) {
          continue;
        }
        if (!visitor.visit(key, c.getValue())) {
          return;
        }
      } while (c.getNext());
    }
  }

  public static boolean startsWith(byte[] key, byte[] prefix) {
    return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
  }
}
