package io.gravwell.datastore.statemachine;

import io.gravwell.datastore.protocol.v1.ObjectKey;
import java.util.Base64;
import java.util.List;

/**
 * The opaque List continuation: the (kind, id) of the last object returned, key-encoded and base64url'd.
 * It names a position, not a snapshot, so a page after concurrent writes continues in id order.
 */
final class PageToken {

  private PageToken() {}

  static String after(ObjectKey last) {
    return Base64.getUrlEncoder().withoutPadding()
        .encodeToString(KeyCodec.components(last.getKind(), last.getId()));
  }

  /** The key to continue after; throws IllegalArgumentException if the token was not made here. */
  static ObjectKey parse(String domain, String token) {
    List<String> parts = KeyCodec.decodeComponents(Base64.getUrlDecoder().decode(token));
    if (parts.size() != 2) {
      throw new IllegalArgumentException("malformed page token");
    }
    return ObjectKey.newBuilder().setDomain(domain).setKind(parts.get(0)).setId(parts.get(1)).build();
  }
}
