package io.gravwell.datastore.statemachine;

/**
 * Told how far {@link BackupArchive#verify} (and so {@link BackupRestore#restore}) has got, because hashing
 * a multi-GiB archive takes long enough that an operator wants to see it move.
 *
 * <p>The unit is bytes of store files as listed in the manifest (uncompressed), which is what verify
 * hashes; the archive's own size would understate the work for a well-compressed store.
 */
public interface BackupProgress {
  /** For callers that do not show progress. */
  BackupProgress NONE = new BackupProgress() {
    @Override
    public void start(long totalBytes) {}

    @Override
    public void advanced(long bytes) {}
  };

  /** Called once, before any bytes: the sum of the manifest's entry sizes. */
  void start(long totalBytes);

  /** {@code bytes} more hashed and unpacked since the last call. */
  void advanced(long bytes);
}
