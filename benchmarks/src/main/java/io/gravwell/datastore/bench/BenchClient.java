package io.gravwell.datastore.bench;

import java.util.concurrent.CompletableFuture;

/**
 * One benchmark client's view of the system under test. Keys are indexes into the key space; the futures
 * never complete exceptionally: failures come back as a {@link Reply} with a problem.
 */
interface BenchClient extends AutoCloseable {

  CompletableFuture<Reply> put(int key, byte[] value);

  /** A linearizable read. */
  CompletableFuture<Reply> get(int key);

  /** True when the transport is gone and {@link #reconnect} must run before the next request. */
  boolean needsReconnect();

  /** Re-opens the transport, retrying until it works or the deadline (System.nanoTime) passes. */
  void reconnect(long deadlineNanos) throws InterruptedException;

  @Override
  void close();
}
