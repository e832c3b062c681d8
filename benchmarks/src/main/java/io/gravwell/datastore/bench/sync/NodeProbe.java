package io.gravwell.datastore.bench.sync;

import io.gravwell.datastore.bench.ProcessCpu;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the benchmark reads off the node processes: CPU time from /proc/PID/stat, resident memory from
 * /proc/PID/status, and heap in use from each node's /metrics (jvm_memory_used_bytes{area="heap"}),
 * sampled on a background thread for peaks.
 */
final class NodeProbe implements AutoCloseable {
  private final List<Integer> pids;
  private final List<String> metricsEndpoints;
  private final long clkTck;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final AtomicLong peakHeap = new AtomicLong();
  private volatile boolean sampling;
  private Thread sampler;

  NodeProbe(List<Integer> pids, List<String> metricsEndpoints, long clkTck) {
    this.pids = pids;
    this.metricsEndpoints = metricsEndpoints;
    this.clkTck = clkTck;
  }

  /** CPU seconds used so far by all node processes together. */
  double cpuSeconds() {
    long ticks = 0;
    for (int pid : pids) {
      try {
        ticks += ProcessCpu.ticks(pid);
      } catch (Exception e) {
        throw new IllegalStateException("cannot read CPU time of node pid " + pid + ": " + e, e);
      }
    }
    return (double) ticks / clkTck;
  }

  /** Largest heap in use on any single node since {@link #startHeapSampling}, in bytes. */
  long peakHeapBytes() {
    return peakHeap.get();
  }

  void startHeapSampling() {
    peakHeap.set(0);
    sampling = true;
    sampler = new Thread(() -> {
      while (sampling) {
        for (String m : metricsEndpoints) {
          peakHeap.accumulateAndGet(heapBytes(m), Math::max);
        }
        try {
          Thread.sleep(100); // sampling period of a measuring thread, not a test wait
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "heap-sampler");
    sampler.setDaemon(true);
    sampler.start();
  }

  private long heapBytes(String endpoint) {
    try {
      // A frozen node must not stop the sampler (and the benchmark's exit, which waits for it).
      String text = http.send(HttpRequest.newBuilder(URI.create("http://" + endpoint + "/metrics"))
              .timeout(Duration.ofSeconds(2)).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      return (long) sum(text, "jvm_memory_used_bytes", "area=\"heap\"");
    } catch (Exception e) {
      return 0;
    }
  }

  /** The sum of a series' samples in Prometheus text whose labels contain {@code labelFilter}. */
  static double sum(String metricsText, String name, String labelFilter) {
    double sum = 0;
    for (String line : metricsText.split("\n")) {
      if ((line.startsWith(name + "{") || line.startsWith(name + " ")) && line.contains(labelFilter)) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  /** Resident set size of a process (VmRSS in /proc/PID/status), in bytes. */
  static long rssBytes(int pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024; // "VmRSS:   123456 kB"
      }
    }
    throw new IllegalStateException("no VmRSS in /proc/" + pid + "/status");
  }

  @Override
  public void close() throws InterruptedException {
    sampling = false;
    if (sampler != null) {
      sampler.join();
    }
  }
}
