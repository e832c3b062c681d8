package io.gravwell.datastore.statemachine;

/**
 * A write transaction left open by {@link ObjectStore#beginWrite}: what the writer changes is visible to
 * the writer at once and to readers only after {@link #commit}. Used by one thread, the one that opened it.
 */
public interface WriteSession {

  StoreWriter writer();

  /** Makes every change visible to readers, atomically; the session is finished afterwards. */
  void commit();

  /** Drops every change; the session is finished afterwards. Does nothing once finished. */
  void abort();
}
