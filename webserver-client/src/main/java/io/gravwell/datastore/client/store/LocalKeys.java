package io.gravwell.datastore.client.store;

import io.gravwell.datastore.protocol.v1.ObjectKey;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Byte keys of the local store: each component of (domain, kind, id) as a 4-byte length then its UTF-8
 * bytes. Length prefixes keep any string (even one with NULs) unambiguous, and a domain's or a kind's
 * objects share a key prefix, so a listing is one range scan.
 */
final class LocalKeys {

  private LocalKeys() {}

  static byte[] of(ObjectKey key) {
    return components(key.getDomain(), key.getKind(), key.getId());
  }

  static byte[] components(String... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String p : parts) {
      byte[] b = p.getBytes(StandardCharsets.UTF_8);
      out.writeBytes(ByteBuffer.allocate(4).putInt(b.length).array());
      out.writeBytes(b);
    }
    return out.toByteArray();
  }

  static ObjectKey parse(byte[] bytes) {
    ByteBuffer in = ByteBuffer.wrap(bytes);
    String[] parts = new String[3];
    for (int i = 0; i < 3; i++) {
      byte[] b = new byte[in.getInt()];
      in.get(b);
      parts[i] = new String(b, StandardCharsets.UTF_8);
    }
    return ObjectKey.newBuilder().setDomain(parts[0]).setKind(parts[1]).setId(parts[2]).build();
  }
}
