package io.gravwell.datastore.client.content;

import com.google.protobuf.ByteString;
import java.security.MessageDigest;

/**
 * Checks chunks against a manifest as they pass, in order. {@link #add} refuses the last chunk unless
 * the whole content then has the promised size and SHA-256, so a caller that writes a chunk only after
 * adding it never hands out a complete copy of wrong bytes.
 */
final class ContentAssembly {

  private final ContentManifest manifest;
  private final MessageDigest sha = Sha256.digest();
  private long size;
  private int chunks;
  private boolean verified;

  ContentAssembly(ContentManifest manifest) {
    this.manifest = manifest;
  }

  void add(ByteString chunk) {
    boolean last = chunks == manifest.chunkCount() - 1;
    if (chunks >= manifest.chunkCount()) {
      throw new ContentCorruptException("more chunks than the manifest's " + manifest.chunkCount());
    }
    if (!last && chunk.size() != manifest.chunkBytes()) {
      throw corrupt("chunk " + chunks + " has " + chunk.size() + " bytes, not " + manifest.chunkBytes());
    }
    size += chunk.size();
    sha.update(chunk.asReadOnlyByteBuffer());
    chunks++;
    if (last) {
      finish();
    }
  }

  /** Verifies the whole; needed for empty content, a no-op once the last chunk passed. */
  void finish() {
    if (verified) {
      return;
    }
    if (chunks != manifest.chunkCount()) {
      throw corrupt("got " + chunks + " of " + manifest.chunkCount() + " chunks");
    }
    if (size != manifest.size()) {
      throw corrupt("assembled " + size + " bytes, the manifest says " + manifest.size());
    }
    String hash = Sha256.hex(sha);
    if (!hash.equals(manifest.sha256())) {
      throw corrupt("SHA-256 " + hash + " does not match the manifest's " + manifest.sha256());
    }
    verified = true;
  }

  private ContentCorruptException corrupt(String what) {
    return new ContentCorruptException("content version " + manifest.version() + " is corrupt: " + what);
  }
}
