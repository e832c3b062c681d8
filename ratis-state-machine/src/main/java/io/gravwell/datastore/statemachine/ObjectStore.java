package io.gravwell.datastore.statemachine;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * Transactional storage of {@code StoredObject}s (live objects and tombstones) with the secondary indexes
 * the state machine needs. Engine-neutral: everything engine-specific lives in the implementation.
 *
 * <p>One writer at a time (the state machine's apply thread); readers may run concurrently and see a
 * consistent snapshot. A unit of work may be run more than once if the engine retries a transaction, so
 * it must not have side effects outside the transaction.
 */
public interface ObjectStore extends AutoCloseable {

  <T> T read(Function<? super StoreReader, T> work);

  /** Runs {@code work} in one atomic write transaction; an exception aborts it. */
  <T> T write(Function<? super StoreWriter, T> work);

  /**
   * Opens a write transaction that stays open across calls until {@link WriteSession#commit}: several
   * log entries share one commit. Unlike {@link #write} it is never retried, so its commit cannot fail
   * for a conflict; no other write may run while it is open, and it belongs to the thread that opened it.
   */
  WriteSession beginWrite();

  /** Makes everything committed so far durable; writes themselves are not synced (the Raft log is). */
  void sync();

  /** Writes a consistent, self-contained copy of the store to {@code file} (overwritten if present). */
  void backupTo(Path file) throws IOException;

  @Override
  void close();
}
