package io.gravwell.datastore.xodus;

import java.util.Arrays;
import jetbrains.exodus.ByteIterable;
import jetbrains.exodus.ByteIterator;
import jetbrains.exodus.log.BlockByteIterator;

/** Copies values out of Xodus into arrays the caller owns. */
public final class XodusBytes {
  private XodusBytes() {}

  /**
   * A value read from the log spans pages; {@code getBytesUnsafe} copies it one byte per call through the
   * page iterator, which was 7 % of a cluster's CPU while a large resource was uploaded. The log's own
   * iterator copies page runs in bulk. The result never shares memory with Xodus: an in-memory value's
   * array may be the caller's own or a page of the cache.
   */
  public static byte[] copyOf(ByteIterable it) {
    int length = it.getLength();
    ByteIterator source = it.iterator();
    if (!(source instanceof BlockByteIterator block)) {
      return Arrays.copyOf(it.getBytesUnsafe(), length);
    }
    byte[] out = new byte[length];
    int filled = 0;
    while (filled < length) {
      int n = block.nextBytes(out, filled, length - filled);
      if (n <= 0) {
        throw new IllegalStateException("value ended after " + filled + " of " + length + " bytes");
      }
      filled += n;
    }
    return out;
  }
}
