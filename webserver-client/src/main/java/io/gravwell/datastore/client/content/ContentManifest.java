package io.gravwell.datastore.client.content;

import java.util.Objects;

/**
 * What a reader needs to assemble one version of some content from its chunks, and to know it got it
 * right. The app keeps it in the metadata object that owns the content, which is written only after
 * every chunk of the version is in the local store.
 *
 * @param version names this upload's chunks; a new upload never reuses one, so a reader never mixes
 *     chunks of two uploads
 * @param size content length in bytes
 * @param sha256 lowercase hex SHA-256 of the whole content
 * @param chunkCount chunks 0 .. chunkCount-1; 0 for empty content
 * @param chunkBytes the size of every chunk but the last (which may be shorter)
 */
public record ContentManifest(String version, long size, String sha256, int chunkCount, int chunkBytes) {

  public ContentManifest {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(sha256, "sha256");
    if (size < 0 || chunkCount < 0 || chunkBytes < 0) {
      throw new IllegalArgumentException("size, chunk count and chunk size must not be negative");
    }
    if (chunkCount > 0 && (version.isEmpty() || chunkBytes == 0)) {
      throw new IllegalArgumentException("chunked content needs a version and a chunk size");
    }
    // The size follows from the chunks, except for the last chunk's exact length.
    if (chunkCount > 0 && (size <= (long) (chunkCount - 1) * chunkBytes || size > (long) chunkCount * chunkBytes)) {
      throw new IllegalArgumentException(size + " bytes do not fill " + chunkCount + " chunks of " + chunkBytes);
    }
    if (chunkCount == 0 && size != 0) {
      throw new IllegalArgumentException("content of " + size + " bytes needs chunks");
    }
  }

  public boolean isEmpty() {
    return chunkCount == 0;
  }
}
