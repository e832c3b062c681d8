package io.gravwell.datastore.node.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gravwell.datastore.protocol.client.DatastoreConnection;
import io.gravwell.datastore.protocol.client.DatastoreException;
import io.gravwell.datastore.protocol.v1.ErrorCode;
import io.gravwell.datastore.protocol.v1.Outcome;
import io.gravwell.datastore.protocol.v1.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Writers that keep putting fresh keys while a test changes the cluster under them, like a webserver
 * would: a write that fails with UNAVAILABLE, TIMEOUT or a broken connection is retried (on another node)
 * until it is acknowledged or a deadline passes. Every acknowledged key is remembered, so that the test
 * can read each one back from every member at the end.
 */
public final class AckedWriters implements AutoCloseable {
  public static final String KIND = "acked";
  private static final Duration GIVE_UP_AFTER = Duration.ofSeconds(60);

  private final LocalCluster cluster;
  private final Supplier<List<Integer>> targets;
  private final Map<String, String> acked = new ConcurrentHashMap<>();
  private final AtomicLong retries = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicBoolean stop = new AtomicBoolean();
  private final List<Thread> threads = new ArrayList<>();
  private final List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());

  /** @param targets the node indexes a writer may use right now (members that are running) */
  public AckedWriters(LocalCluster cluster, int writers, Supplier<List<Integer>> targets) {
    this.cluster = cluster;
    this.targets = targets;
    for (int w = 0; w < writers; w++) {
      int writer = w;
      Thread t = new Thread(() -> run(writer), "acked-writer-" + w);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
  }

  private void run(int writer) {
    DatastoreConnection conn = null;
    long n = 0;
    while (!stop.get()) {
      String id = "w" + writer + "-" + n++;
      String value = "v-" + id;
      long deadline = System.nanoTime() + GIVE_UP_AFTER.toNanos();
      while (true) {
        try {
          if (conn == null || !conn.isOpen()) {
            conn = connectSomewhere();
          }
          Response r = conn.call(Requests.put(KIND, id, value)).get(15, TimeUnit.SECONDS);
          if (r.getWrite().getResults(0).getOutcome() == Outcome.APPLIED) {
            acked.put(id, value);
          } else {
            failed.incrementAndGet();
            failures.add(id + ": " + r.getWrite().getResults(0));
          }
          break;
        } catch (Exception e) {
          if (!retryable(e) || System.nanoTime() > deadline || stop.get() && System.nanoTime() > deadline) {
            failed.incrementAndGet();
            failures.add(id + ": " + e);
            break;
          }
          retries.incrementAndGet();
          if (conn != null) {
            conn.close();
          }
          conn = null;
          pause();
        }
      }
    }
    if (conn != null) {
      conn.close();
    }
  }

  private DatastoreConnection connectSomewhere() {
    List<Integer> candidates = targets.get();
    if (candidates.isEmpty()) {
      throw new DatastoreException(ErrorCode.UNAVAILABLE, "no node to write to");
    }
    int i = candidates.get(ThreadLocalRandom.current().nextInt(candidates.size()));
    return cluster.connect(i);
  }

  private static boolean retryable(Throwable e) {
    Throwable c = e;
    while (c.getCause() != null && !(c instanceof DatastoreException)) {
      c = c.getCause();
    }
    if (c instanceof AssertionError) {
      return false;
    }
    if (c instanceof DatastoreException d) {
      return d.code() == ErrorCode.UNAVAILABLE || d.code() == ErrorCode.TIMEOUT
          || d.code() == ErrorCode.CLUSTER_INITIALIZING || d.code() == ErrorCode.INTERNAL;
    }
    // Broken connections, connect failures, a node that stopped: all worth another try elsewhere.
    return true;
  }

  private static void pause() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public int ackedCount() {
    return acked.size();
  }

  public long retries() {
    return retries.get();
  }

  public long failed() {
    return failed.get();
  }

  public List<String> failures() {
    return List.copyOf(failures);
  }

  /** Stops the writers and waits for their last write to settle. */
  public void stop() {
    stop.set(true);
    for (Thread t : threads) {
      try {
        t.join(GIVE_UP_AFTER.toMillis() + 20_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Reads every acknowledged key back from node i with linearizable reads. A read refused as UNAVAILABLE
   * (e.g. a ReadIndex round while a new leader settles) is asked again, as a webserver would; a key that
   * is missing or different fails at once.
   */
  public void assertAllPresentOn(int i) {
    try (DatastoreConnection conn = cluster.connect(i)) {
      List<Map.Entry<String, String>> keys = new ArrayList<>(acked.entrySet());
      for (int from = 0; from < keys.size(); from += 500) {
        List<Map.Entry<String, String>> page = keys.subList(from, Math.min(keys.size(), from + 500));
        await().atMost(Duration.ofSeconds(30)).ignoreExceptionsMatching(AckedWriters::retryable)
            .untilAsserted(() -> assertPage(conn, i, page));
      }
    }
  }

  private void assertPage(DatastoreConnection conn, int i, List<Map.Entry<String, String>> page) {
    List<CompletableFuture<Response>> reads = new ArrayList<>();
    page.forEach(k -> reads.add(conn.call(Requests.get(KIND, k.getKey()))));
    for (int k = 0; k < page.size(); k++) {
      Response r = reads.get(k).join();
      assertThat(r.getGet().getFound()).as("acked key %s on %s", page.get(k).getKey(), cluster.nodeId(i)).isTrue();
      assertThat(Requests.text(r.getGet().getObject())).isEqualTo(page.get(k).getValue());
    }
  }

  @Override
  public void close() {
    stop();
  }
}
