package io.gravwell.datastore.node.cli;

/**
 * On a machine with fewer than three cores the JDK's common ForkJoin pool has parallelism 1, and then
 * {@code CompletableFuture}'s default async executor starts a new thread for every task. Ratis appends
 * log entries through such async stages, so a 2-core node created and destroyed thousands of threads a
 * minute under load (seen in a JFR profile: half the node's CPU). Raising the parallelism before
 * CompletableFuture is first used keeps those tasks on the pool. An explicit -D setting wins.
 */
final class CommonPool {
  static final String PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

  private CommonPool() {}

  static void ensureParallelism() {
    if (System.getProperty(PARALLELISM) == null) {
      System.setProperty(PARALLELISM, String.valueOf(Math.max(4, Runtime.getRuntime().availableProcessors())));
    }
  }
}
