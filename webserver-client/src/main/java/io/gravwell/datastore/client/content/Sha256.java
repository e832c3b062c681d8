package io.gravwell.datastore.client.content;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 helpers: every Java platform has the algorithm, so its absence is not a checked condition. */
final class Sha256 {

  private Sha256() {}

  static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }

  static String hex(MessageDigest d) {
    return HexFormat.of().formatHex(d.digest());
  }
}
