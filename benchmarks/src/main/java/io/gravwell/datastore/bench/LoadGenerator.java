package io.gravwell.datastore.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Closed-loop load generator for a datastore cluster.
 *
 * <p>For every concurrency level C and operation, C clients each open their own connection (spread
 * round-robin over the endpoints) and keep exactly one request outstanding: send, wait for the response,
 * record the latency, send the next one. Requests are sent from the clients' own threads, never from a
 * reply callback. Each (C, op) run has a warm-up phase (not recorded) followed by a measured phase.
 * Latencies are recorded in microseconds in an HdrHistogram; no coordinated-omission correction is
 * applied, because a closed loop has no intended send schedule.
 */
@Command(
    name = "loadgen",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = "Closed-loop put/get load generator for a datastore (or etcd) cluster.")
public final class LoadGenerator implements Callable<Integer> {

  enum Op { put, get, both }

  @Mixin
  TargetOptions target;

  @Option(names = "--clients", split = ",", defaultValue = "1,16,64",
      description = "concurrency levels (default: ${DEFAULT-VALUE})")
  List<Integer> clients;

  @Option(names = "--op", defaultValue = "both", description = "put, get or both (default: ${DEFAULT-VALUE})")
  Op op;

  @Option(names = "--value-size", defaultValue = "256", description = "put payload bytes (default: ${DEFAULT-VALUE})")
  int valueSize;

  @Option(names = "--warmup", defaultValue = "20",
      description = "warm-up seconds before each measured run (default: ${DEFAULT-VALUE})")
  int warmupSeconds;

  @Option(names = "--jit-warmup", defaultValue = "0",
      description = "seconds of unmeasured load at the highest concurrency before the first level, split over the"
          + " ops, so that the first levels do not measure the JIT compilers of every JVM involved"
          + " (default: ${DEFAULT-VALUE})")
  int jitWarmupSeconds;

  @Option(names = "--duration", defaultValue = "20",
      description = "measured seconds per level and op (default: ${DEFAULT-VALUE})")
  int durationSeconds;

  @Option(names = "--keys", defaultValue = "10000", description = "key-space size (default: ${DEFAULT-VALUE})")
  int keySpace;

  @Option(names = "--out", description = "append results here: JSON lines if the name ends in .json/.jsonl, else CSV")
  Path out;

  @Option(names = "--preload-window", defaultValue = "256",
      description = "outstanding puts while preloading the key space for gets (default: ${DEFAULT-VALUE})")
  int preloadWindow;

  @Option(names = "--cpu-pids", split = ",",
      description = "name=pid pairs (e.g. n1=123) whose CPU use (/proc/<pid>/stat) is reported per run")
  Map<String, Integer> cpuPids = new LinkedHashMap<>();

  @Option(names = "--clk-tck", defaultValue = "100", description = "clock ticks per second for /proc (getconf CLK_TCK)")
  int clkTck;

  @Option(names = "--label", defaultValue = "", description = "free text stored with every result row")
  String label;

  private final PrintStream stdout = System.out;
  private BenchTarget system;

  public static void main(String[] args) {
    System.exit(new CommandLine(new LoadGenerator())
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setOverwrittenOptionsAllowed(true) // a wrapper script's defaults, then the caller's options
        .setExecutionExceptionHandler((e, cmd, parsed) -> {
          cmd.getErr().println("loadgen: " + (e instanceof IOException || e instanceof TimeoutException
              ? e.getMessage() : e.toString()));
          if (System.getenv("LOADGEN_TRACE") != null) {
            e.printStackTrace(cmd.getErr());
          }
          return 1;
        })
        .execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (valueSize < 0 || keySpace < 1 || durationSeconds < 1 || warmupSeconds < 0 || jitWarmupSeconds < 0
        || clients.isEmpty()
        || clients.stream().anyMatch(c -> c < 1)) {
      System.err.println("invalid arguments: need value-size>=0, keys>=1, duration>=1, warmup>=0, clients>=1");
      return 2;
    }
    List<Op> ops = op == Op.both ? List.of(Op.put, Op.get) : List.of(op);

    // A watchdog so the tool always stops by itself, whatever the cluster does.
    long plannedSeconds = (long) clients.size() * ops.size() * (warmupSeconds + durationSeconds) + jitWarmupSeconds
        + (ops.contains(Op.get) ? 120 : 0) + 120L + 2L * target.requestTimeoutSeconds * clients.size() * ops.size();
    startWatchdog(plannedSeconds);

    system = target.open(keySpace);
    try {
      stdout.printf(Locale.ROOT, "loadgen: target=%s endpoints=%s tls=%s clients=%s op=%s value=%dB keys=%d "
              + "warmup=%ds duration=%ds io-threads=%d%n", system.name(), String.join(",", target.endpoints),
          target.ca != null, clients, op, valueSize, keySpace, warmupSeconds, durationSeconds, target.ioThreads);
      if (ops.contains(Op.get)) {
        preload();
      }
      jitWarmup(ops);
      List<Result> results = new ArrayList<>();
      for (int c : clients) {
        for (Op o : ops) {
          Result r = runLevel(c, o);
          results.add(r);
          stdout.println(r.line());
          stdout.flush();
          if (out != null) {
            append(r);
          }
        }
      }
      stdout.println();
      stdout.println(String.format(Locale.ROOT, "%-4s %5s %10s %9s %9s %9s %9s %7s %9s", "op", "C", "ops/s",
          "p50 ms", "p99 ms", "p999 ms", "max ms", "errors", "conflicts"));
      for (Result r : results) {
        stdout.println(String.format(Locale.ROOT, "%-4s %5d %10.0f %9.2f %9.2f %9.2f %9.2f %7d %9d", r.op, r.clients,
            r.opsPerSec(), r.hist.getValueAtPercentile(50) / 1000.0, r.hist.getValueAtPercentile(99) / 1000.0,
            r.hist.getValueAtPercentile(99.9) / 1000.0, r.hist.getMaxValue() / 1000.0, r.errorCount(), r.conflicts));
      }
      long failed = results.stream().filter(r -> r.ops == 0).count();
      return failed > 0 ? 1 : 0;
    } finally {
      system.close();
    }
  }

  // ------------------------------------------------------------------------------------------------------
  // Setup
  // ------------------------------------------------------------------------------------------------------

  private static void startWatchdog(long seconds) {
    Thread t = new Thread(() -> {
      try {
        Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
        System.err.println("loadgen: watchdog: still running after " + seconds + " s, exiting");
        System.exit(3);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "loadgen-watchdog");
    t.setDaemon(true);
    t.start();
  }

  /** Writes every key once, pipelined, so that gets find something. Not a measurement. */
  private void preload() throws Exception {
    int nConns = Math.max(1, Math.min(target.endpoints.size(), 8));
    List<BenchClient> conns = system.openAll(nConns);
    Semaphore window = new Semaphore(preloadWindow);
    AtomicLong errors = new AtomicLong();
    AtomicReference<String> firstError = new AtomicReference<>();
    long t0 = System.nanoTime();
    byte[] value = new byte[valueSize];
    try {
      for (int k = 0; k < keySpace; k++) {
        ThreadLocalRandom.current().nextBytes(value);
        if (!window.tryAcquire(target.requestTimeoutSeconds + 5L, TimeUnit.SECONDS)) {
          throw new TimeoutException("preload stalled: no reply for " + (target.requestTimeoutSeconds + 5) + " s");
        }
        conns.get(k % nConns).put(k, value).whenComplete((reply, err) -> {
          if (!reply.succeeded()) {
            errors.incrementAndGet();
            firstError.compareAndSet(null, reply.problem() + ": " + reply.detail());
          }
          window.release();
        });
      }
      if (!window.tryAcquire(preloadWindow, target.requestTimeoutSeconds + 5L, TimeUnit.SECONDS)) {
        throw new TimeoutException("preload did not finish");
      }
    } finally {
      conns.forEach(BenchClient::close);
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    stdout.printf(Locale.ROOT, "preload: %d keys in %.1f s (%.0f puts/s, window %d), %d errors%s%n", keySpace, secs,
        keySpace / secs, preloadWindow, errors.get(), firstError.get() == null ? "" : " (first: " + firstError.get() + ")");
    if (errors.get() > 0) {
      stdout.println("preload: WARNING: some keys may be missing; gets of them count as 'missing'");
    }
  }

  // ------------------------------------------------------------------------------------------------------
  // One level
  // ------------------------------------------------------------------------------------------------------

  /**
   * On a 2-core machine the C2 compilers of three node JVMs were still taking about a third of all CPU
   * 95 s into a put run, and put throughput at C=64 doubled between 95 s and 250 s: short per-level warm-ups
   * measured compilation. The same unmeasured load goes to either target, so a same-run ratio stays fair.
   */
  private void jitWarmup(List<Op> ops) throws Exception {
    if (jitWarmupSeconds == 0) {
      return;
    }
    int c = clients.stream().max(Integer::compare).orElseThrow();
    int each = Math.max(1, jitWarmupSeconds / ops.size());
    for (Op o : ops) {
      stdout.printf(Locale.ROOT, "jit warm-up: op=%s C=%d for %d s (not measured)%n", o, c, each);
      stdout.flush();
      Result r = runLevel(c, o, each, 1);
      stdout.printf(Locale.ROOT, "jit warm-up: op=%s done, %.0f ops/s in its last second%n", o, r.opsPerSec());
    }
  }

  private Result runLevel(int c, Op o) throws Exception {
    return runLevel(c, o, warmupSeconds, durationSeconds);
  }

  private Result runLevel(int c, Op o, int warmupS, int durationS) throws Exception {
    List<BenchClient> conns = system.openAll(c);
    long startAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
    long measureAt = startAt + TimeUnit.SECONDS.toNanos(warmupS);
    long endAt = measureAt + TimeUnit.SECONDS.toNanos(durationS);
    List<Worker> workers = new ArrayList<>();
    CountDownLatch done = new CountDownLatch(c);
    for (int i = 0; i < c; i++) {
      Worker w = new Worker(i, conns.get(i), o, startAt, measureAt, endAt, done);
      workers.add(w);
      Thread t = new Thread(w, "loadgen-client-" + i);
      t.setDaemon(true);
      t.start();
    }
    stdout.printf(Locale.ROOT, "run: op=%s C=%d warming up %d s, measuring %d s...%n", o, c, warmupS,
        durationS);
    stdout.flush();
    sleepUntil(measureAt);
    CpuSample before = CpuSample.take(cpuPids);
    sleepUntil(endAt);
    CpuSample after = CpuSample.take(cpuPids);
    boolean finished = done.await(target.requestTimeoutSeconds + 10L, TimeUnit.SECONDS);
    conns.forEach(BenchClient::close);

    Result r = new Result(o, c);
    r.measuredNanos = endAt - measureAt;
    for (Worker w : workers) {
      if (!w.finished) {
        continue; // still waiting for a reply after the window (counted as STUCK_CLIENTS below)
      }
      {
        r.hist.add(w.hist);
        r.ops += w.ops;
        r.conflicts += w.conflicts;
        r.missing += w.missing;
        r.warmupErrors += w.warmupErrors;
        w.errors.forEach((k, v) -> r.errors.merge(k, v, Long::sum));
        if (r.firstError == null) {
          r.firstError = w.firstError;
        }
        r.lastFinish = Math.max(r.lastFinish, w.finishedAt);
      }
    }
    if (!finished) {
      r.errors.merge("STUCK_CLIENTS", done.getCount(), Long::sum);
    }
    // Ops counted are those that started in the window; the last one may finish a little after it.
    r.measuredNanos = Math.max(endAt, r.lastFinish) - measureAt;
    r.cpu = CpuSample.delta(before, after, clkTck);
    return r;
  }

  private static void sleepUntil(long nanoTime) throws InterruptedException {
    long left;
    while ((left = nanoTime - System.nanoTime()) > 0) {
      TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)));
    }
  }

  private final class Worker implements Runnable {
    final int index;
    final BenchClient conn;
    final Op o;
    final long startAt;
    final long measureAt;
    final long endAt;
    final CountDownLatch done;
    final Histogram hist = new Histogram(TimeUnit.SECONDS.toMicros(120), 3);
    final Map<String, Long> errors = new TreeMap<>();
    long ops;
    long conflicts;
    long missing;
    long warmupErrors;
    long finishedAt;
    String firstError;
    volatile boolean finished;

    Worker(int index, BenchClient conn, Op o, long startAt, long measureAt, long endAt, CountDownLatch done) {
      this.index = index;
      this.conn = conn;
      this.o = o;
      this.startAt = startAt;
      this.measureAt = measureAt;
      this.endAt = endAt;
      this.done = done;
    }

    @Override
    public void run() {
      try {
        loop();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (RuntimeException e) {
        noteFirst("client crashed: " + e);
        errors.merge("CLIENT_CRASH", 1L, Long::sum);
      } finally {
        finished = true;
        done.countDown();
      }
    }

    private void loop() throws InterruptedException {
      sleepUntil(startAt);
      ThreadLocalRandom rnd = ThreadLocalRandom.current();
      byte[] value = new byte[valueSize];
      long waitSeconds = target.requestTimeoutSeconds + 5L;
      while (true) {
        long t0 = System.nanoTime();
        if (t0 >= endAt) {
          break;
        }
        boolean measured = t0 >= measureAt;
        int k = rnd.nextInt(keySpace);
        Reply reply;
        try {
          if (o == Op.put) {
            rnd.nextBytes(value);
            reply = conn.put(k, value).get(waitSeconds, TimeUnit.SECONDS);
          } else {
            reply = conn.get(k).get(waitSeconds, TimeUnit.SECONDS);
          }
        } catch (ExecutionException e) {
          reply = Reply.failed("CLIENT_FAILURE", String.valueOf(e.getCause())); // the futures do not fail: a bug
        } catch (TimeoutException e) {
          reply = Reply.failed("TIMEOUT", "no reply within " + waitSeconds + " s");
        }
        String problem = reply.problem();
        if (problem != null) {
          noteFirst(problem + ": " + reply.detail());
        }
        long t1 = System.nanoTime();
        if (!measured && problem != null) {
          warmupErrors++;
        }
        if (measured) {
          if (problem != null) {
            errors.merge(problem, 1L, Long::sum);
          } else {
            hist.recordValue(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMicros(t1 - t0), hist.getHighestTrackableValue())));
            ops++;
            if (reply.conflict()) {
              conflicts++; // committed through Raft, lost last-writer-wins: a completed write
            }
            if (reply.notFound()) {
              missing++;
            }
          }
        }
        finishedAt = t1;
        if (problem != null && conn.needsReconnect()) {
          conn.reconnect(endAt);
        }
      }
    }

    private void noteFirst(String s) {
      if (firstError == null) {
        firstError = s;
      }
    }
  }

  // ------------------------------------------------------------------------------------------------------
  // Results
  // ------------------------------------------------------------------------------------------------------

  private final class Result {
    final Op op;
    final int clients;
    final Histogram hist = new Histogram(TimeUnit.SECONDS.toMicros(120), 3);
    final Map<String, Long> errors = new TreeMap<>();
    final String timestamp = Instant.now().toString();
    long ops;
    long conflicts;
    long missing;
    long warmupErrors;
    long measuredNanos;
    long lastFinish;
    String firstError;
    CpuSample.Delta cpu;

    Result(Op op, int clients) {
      this.op = op;
      this.clients = clients;
    }

    double opsPerSec() {
      return ops / (measuredNanos / 1e9);
    }

    long errorCount() {
      return errors.values().stream().mapToLong(Long::longValue).sum();
    }

    /** CPU used by processes other than this one and the watched pids, in % of one CPU. */
    double otherPct() {
      double pids = cpu.pidPct.values().stream().mapToDouble(Double::doubleValue).sum();
      return Math.max(0, cpu.machineBusyPct * cpu.cpus - cpu.selfPct - pids);
    }

    double nodeCpuMicrosPerOp() {
      return ops == 0 ? 0 : cpu.pidsCpuSeconds() * 1e6 / ops;
    }

    String line() {
      StringBuilder sb = new StringBuilder();
      sb.append(String.format(Locale.ROOT,
          "%-3s C=%-3d %9.0f ops/s  p50 %7.2f ms  p99 %7.2f ms  p999 %7.2f ms  max %7.2f ms  errors %d",
          op, clients, opsPerSec(), hist.getValueAtPercentile(50) / 1000.0, hist.getValueAtPercentile(99) / 1000.0,
          hist.getValueAtPercentile(99.9) / 1000.0, hist.getMaxValue() / 1000.0, errorCount()));
      if (!errors.isEmpty()) {
        sb.append(' ').append(errors);
      }
      if (conflicts > 0) {
        sb.append("  conflicts ").append(conflicts);
      }
      if (missing > 0) {
        sb.append("  not-found ").append(missing);
      }
      if (warmupErrors > 0) {
        sb.append("  (warm-up errors ").append(warmupErrors).append(')');
      }
      sb.append(String.format(Locale.ROOT, "%n      cpu: machine %.0f%% busy (iowait %.0f%%, %d cpus), loadgen %.0f%%",
          cpu.machineBusyPct, cpu.machineIowaitPct, cpu.cpus, cpu.selfPct));
      for (Map.Entry<String, Double> e : cpu.pidPct.entrySet()) {
        sb.append(String.format(Locale.ROOT, ", %s %.0f%%", e.getKey(), e.getValue()));
      }
      sb.append(String.format(Locale.ROOT, ", everything else %.0f%%", otherPct()));
      if (!cpu.pidPct.isEmpty()) {
        sb.append(String.format(Locale.ROOT, "; nodes %.0f us cpu/op", nodeCpuMicrosPerOp()));
      }
      if (firstError != null) {
        sb.append(System.lineSeparator()).append("      first error (warm-up or measured): ").append(firstError);
      }
      return sb.toString();
    }

    Map<String, Object> fields() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("timestamp", timestamp);
      m.put("target", system.name());
      m.put("label", label);
      m.put("op", op.name());
      m.put("clients", clients);
      m.put("endpoints", String.join(" ", target.endpoints));
      m.put("tls", target.ca != null);
      m.put("value_size", valueSize);
      m.put("keys", keySpace);
      m.put("warmup_s", warmupSeconds);
      m.put("duration_s", durationSeconds);
      m.put("ops", ops);
      m.put("ops_per_s", round1(opsPerSec()));
      m.put("p50_us", hist.getValueAtPercentile(50));
      m.put("p90_us", hist.getValueAtPercentile(90));
      m.put("p99_us", hist.getValueAtPercentile(99));
      m.put("p999_us", hist.getValueAtPercentile(99.9));
      m.put("max_us", hist.getMaxValue());
      m.put("mean_us", round1(hist.getMean()));
      m.put("errors", errorCount());
      m.put("conflicts", conflicts);
      m.put("not_found", missing);
      m.put("warmup_errors", warmupErrors);
      m.put("machine_busy_pct", round1(cpu.machineBusyPct));
      m.put("machine_iowait_pct", round1(cpu.machineIowaitPct));
      m.put("loadgen_cpu_pct", round1(cpu.selfPct));
      m.put("nodes_cpu_pct", round1(cpu.pidPct.values().stream().mapToDouble(Double::doubleValue).sum()));
      m.put("nodes_cpu_us_per_op", round1(nodeCpuMicrosPerOp()));
      m.put("other_cpu_pct", round1(otherPct()));
      return m;
    }
  }

  private static double round1(double d) {
    return Math.round(d * 10) / 10.0;
  }

  private void append(Result r) throws IOException {
    Map<String, Object> f = r.fields();
    String name = out.getFileName().toString().toLowerCase(Locale.ROOT);
    StringBuilder sb = new StringBuilder();
    if (name.endsWith(".json") || name.endsWith(".jsonl")) {
      sb.append('{');
      boolean first = true;
      for (Map.Entry<String, Object> e : f.entrySet()) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        sb.append('"').append(e.getKey()).append("\":");
        Object v = e.getValue();
        if (v instanceof Number || v instanceof Boolean) {
          sb.append(v);
        } else {
          sb.append('"').append(v.toString().replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
      }
      sb.append("}\n");
    } else {
      boolean fresh = !Files.exists(out) || Files.size(out) == 0;
      if (fresh) {
        sb.append(String.join(",", f.keySet())).append('\n');
      }
      List<String> vals = new ArrayList<>();
      for (Object v : f.values()) {
        String s = v.toString();
        vals.add(s.contains(",") || s.contains("\"") ? '"' + s.replace("\"", "\"\"") + '"' : s);
      }
      sb.append(String.join(",", vals)).append('\n');
    }
    Path parent = out.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(out, sb.toString(), StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  // ------------------------------------------------------------------------------------------------------
  // CPU accounting from /proc (Linux); zeros elsewhere
  // ------------------------------------------------------------------------------------------------------

  private static final class CpuSample {
    final long wallNanos = System.nanoTime();
    long[] machine = new long[0];
    long selfCpuNanos;
    final Map<String, Long> pidTicks = new LinkedHashMap<>();

    static CpuSample take(Map<String, Integer> pids) {
      CpuSample s = new CpuSample();
      try {
        String first = Files.readAllLines(Path.of("/proc/stat")).get(0);
        String[] parts = first.trim().split("\\s+");
        s.machine = new long[parts.length - 1];
        for (int i = 1; i < parts.length; i++) {
          s.machine[i - 1] = Long.parseLong(parts[i]);
        }
      } catch (Exception ignored) {
        // not Linux
      }
      if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
        s.selfCpuNanos = os.getProcessCpuTime();
      }
      for (Map.Entry<String, Integer> e : pids.entrySet()) {
        try {
          s.pidTicks.put(e.getKey(), ProcessCpu.ticks(e.getValue()));
        } catch (Exception ignored) {
          s.pidTicks.put(e.getKey(), -1L);
        }
      }
      return s;
    }

    record Delta(double machineBusyPct, double machineIowaitPct, int cpus, double selfPct,
                 Map<String, Double> pidPct, double pidSecondsTotal) {
      double pidsCpuSeconds() {
        return pidSecondsTotal;
      }
    }

    static Delta delta(CpuSample a, CpuSample b, int clkTck) {
      double wall = (b.wallNanos - a.wallNanos) / 1e9;
      double busy = 0;
      double iowait = 0;
      if (a.machine.length >= 5 && b.machine.length == a.machine.length) {
        long total = 0;
        long[] d = new long[a.machine.length];
        // user nice system idle iowait irq softirq steal guest guest_nice; guest time is already in user
        int n = Math.min(8, d.length);
        for (int i = 0; i < n; i++) {
          d[i] = b.machine[i] - a.machine[i];
          total += d[i];
        }
        if (total > 0) {
          busy = 100.0 * (total - d[3] - d[4]) / total;
          iowait = 100.0 * d[4] / total;
        }
      }
      double self = 100.0 * (b.selfCpuNanos - a.selfCpuNanos) / 1e9 / wall;
      Map<String, Double> pct = new LinkedHashMap<>();
      double secs = 0;
      for (Map.Entry<String, Long> e : a.pidTicks.entrySet()) {
        Long after = b.pidTicks.get(e.getKey());
        if (e.getValue() < 0 || after == null || after < 0) {
          continue;
        }
        double s = (after - e.getValue()) / (double) clkTck;
        secs += s;
        pct.put(e.getKey(), 100.0 * s / wall);
      }
      return new Delta(busy, iowait, Runtime.getRuntime().availableProcessors(), self, pct, secs);
    }
  }
}
