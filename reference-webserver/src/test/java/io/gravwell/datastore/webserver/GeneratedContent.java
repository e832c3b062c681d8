package io.gravwell.datastore.webserver;

import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * {@code size} pseudo-random bytes from a seed, produced as they are read and hashed on the way, so a
 * test can upload hundreds of MiB without ever holding them. Same seed and size, same bytes.
 */
final class GeneratedContent extends InputStream {
  private final SplittableRandom random;
  private final MessageDigest sha;
  private long remaining;

  GeneratedContent(long seed, long size) {
    this.random = new SplittableRandom(seed);
    this.remaining = size;
    this.sha = sha256();
  }

  @Override
  public int read() {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) {
    if (remaining == 0) {
      return -1;
    }
    int n = (int) Math.min(len, remaining);
    for (int i = 0; i < n; i++) {
      b[off + i] = (byte) random.nextInt(256);
    }
    sha.update(b, off, n);
    remaining -= n;
    return n;
  }

  /** The SHA-256 of everything read so far (all of it, once the stream is exhausted). */
  String sha256Hex() {
    try {
      return HexFormat.of().formatHex(((MessageDigest) sha.clone()).digest());
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException(e);
    }
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
