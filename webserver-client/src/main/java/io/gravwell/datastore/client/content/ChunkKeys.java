package io.gravwell.datastore.client.content;

import io.gravwell.datastore.protocol.v1.ObjectKey;

/**
 * Chunk ids: {@code <owner>/<version>/<n>} with n zero-padded to 8 digits, so one version's chunks are
 * adjacent in key order and listed (and pushed) in content order.
 */
final class ChunkKeys {

  private ChunkKeys() {}

  static ObjectKey of(String domain, String owner, String version, int n) {
    return of(domain, owner, version, String.format("%08d", n));
  }

  static ObjectKey of(String domain, String owner, String version, String n) {
    return ObjectKey.newBuilder()
        .setDomain(domain)
        .setKind(ContentStore.CHUNK_KIND)
        .setId(owner + "/" + version + "/" + n)
        .build();
  }
}
