package io.gravwell.datastore.webserver.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gravwell.datastore.client.content.ContentManifest;
import java.util.List;

/**
 * A resource's content manifest as fields of its metadata document. {@code size} and {@code hash} are
 * what upstream shows; the rest locate the chunks. All are the server's: a client cannot set them.
 */
final class ResourceManifests {
  static final List<String> FIELDS = List.of("size", "hash", "content_version", "chunk_count", "chunk_size");

  private ResourceManifests() {}

  /** The manifest in {@code meta}; a resource that never had content has an empty one. */
  static ContentManifest of(ObjectNode meta) {
    return new ContentManifest(
        meta.path("content_version").asText(""),
        meta.path("size").asLong(0),
        meta.path("hash").asText(""),
        meta.path("chunk_count").asInt(0),
        meta.path("chunk_size").asInt(0));
  }

  static void put(ObjectNode meta, ContentManifest m) {
    meta.put("size", m.size())
        .put("hash", m.sha256())
        .put("content_version", m.version())
        .put("chunk_count", m.chunkCount())
        .put("chunk_size", m.chunkBytes());
  }

  /** A new resource: no content yet. */
  static void putEmpty(ObjectNode meta) {
    meta.put("size", 0).put("hash", "").put("content_version", "").put("chunk_count", 0).put("chunk_size", 0);
  }

  /** Keeps the server's fields of {@code from} in {@code to}, whatever the client sent. */
  static void copy(ObjectNode from, ObjectNode to) {
    for (String f : FIELDS) {
      if (from.has(f)) {
        to.set(f, from.get(f));
      } else {
        to.remove(f);
      }
    }
  }
}
