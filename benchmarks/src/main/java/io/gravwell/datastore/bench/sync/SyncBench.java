package io.gravwell.datastore.bench.sync;

import com.google.protobuf.ByteString;
import io.gravwell.datastore.client.RemoteDatastore;
import io.gravwell.datastore.client.WebserverSync;
import io.gravwell.datastore.client.cluster.ClusterClient;
import io.gravwell.datastore.client.cluster.ClusterClientSettings;
import io.gravwell.datastore.client.content.ContentManifest;
import io.gravwell.datastore.client.store.XodusLocalStore;
import io.gravwell.datastore.client.sync.SyncListener;
import io.gravwell.datastore.client.sync.SyncOutcome;
import io.gravwell.datastore.client.sync.SyncSettings;
import io.gravwell.datastore.protocol.client.ConnectionOptions;
import io.gravwell.datastore.protocol.client.DatastoreConnection;
import io.gravwell.datastore.protocol.tls.SslContexts;
import io.gravwell.datastore.protocol.v1.Ping;
import io.gravwell.datastore.protocol.v1.Request;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The sync fleet benchmarks: real webserver clients (the library the webservers embed, with Xodus local
 * stores on disk) against a running cluster. Each scenario prints one line per figure and appends it to
 * a CSV file. See benchmarks/sync.sh, which starts a fresh cluster around them.
 */
@Command(name = "syncbench", mixinStandardHelpOptions = true,
    subcommands = {SyncBench.Propagation.class, SyncBench.Checkin.class, SyncBench.ColdSync.class,
        SyncBench.Upload.class, SyncBench.Fleet.class, SyncBench.Restart.class, SyncBench.CatchUp.class})
public final class SyncBench {

  public static void main(String[] args) {
    CommandLine cl = new CommandLine(new SyncBench());
    cl.registerConverter(Duration.class, io.gravwell.datastore.config.Durations::parse); // "10s", "500ms"
    System.exit(cl.execute(args));
  }

  /** Where the cluster is and how to reach it; shared by every scenario. */
  static final class Target {
    @Option(names = "--endpoints", split = ",", required = true, description = "client ports, host:port")
    List<String> endpoints;
    @Option(names = "--ca", description = "PEM certificate to trust (omit for plain TCP)")
    Path ca;
    @Option(names = "--secret-file", required = true)
    Path secretFile;
    @Option(names = "--node-pids", split = ",", description = "node process ids, for CPU figures")
    List<Integer> nodePids = List.of();
    @Option(names = "--metrics", split = ",", description = "node metrics host:port, for heap figures")
    List<String> metrics = List.of();
    @Option(names = "--clk-tck", defaultValue = "100")
    long clkTck;
    @Option(names = "--work-dir", defaultValue = "benchmarks/target/syncbench")
    Path workDir;
    @Option(names = "--out", defaultValue = "benchmarks/target/sync-results.csv")
    Path out;
    @Option(names = "--run-dir", description = "the cluster's run directory (pid files, configs), for the scenarios"
        + " that stop and start nodes")
    Path runDir;
    @Option(names = "--cluster-script", defaultValue = "scripts/local-cluster.sh")
    Path clusterScript;

    SslContext ssl() {
      return ca == null ? null : SslContexts.client(ca);
    }

    String secret() {
      try {
        return Files.readString(secretFile, StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read the secret file " + secretFile + ": " + e);
      }
    }

    ClusterClient cluster(String webserverId, List<String> via) {
      return new ClusterClient(ClusterClientSettings.of(via, ssl(), secret(), webserverId), new SecureRandom());
    }

    /** A webserver's sync library on a fresh local store under the work dir. */
    WebserverSync webserver(String name, RemoteDatastore remote, Duration interval) throws IOException {
      Path dir = workDir.resolve(name + "-" + UUID.randomUUID());
      Files.createDirectories(dir);
      SyncSettings settings = SyncSettings.of("bench", name + "-" + UUID.randomUUID()).withUpdateInterval(interval);
      return new WebserverSync(settings, remote, XodusLocalStore.open(dir), Clock.systemUTC(), new SecureRandom(),
          SyncListener.NONE);
    }

    /** Needs --metrics (every node's, to learn their ids) and --run-dir. */
    ClusterControl control() {
      if (runDir == null || metrics.isEmpty()) {
        throw new IllegalArgumentException("this scenario needs --run-dir and --metrics");
      }
      return new ClusterControl(clusterScript, runDir, metrics);
    }

    NodeProbe probe() {
      return new NodeProbe(nodePids, metrics, clkTck);
    }

    void record(String scenario, String figure, double value, String unit, String note) {
      String line = String.format(Locale.ROOT, "%s,%s,%s,%.3f,%s,%s", java.time.Instant.now(), scenario, figure,
          value, unit, note.replace(',', ';'));
      System.out.printf(Locale.ROOT, "%-12s %-34s %12.3f %-8s %s%n", scenario, figure, value, unit, note);
      try {
        Files.createDirectories(out.toAbsolutePath().getParent());
        boolean fresh = !Files.exists(out);
        Files.writeString(out, (fresh ? "time,scenario,figure,value,unit,note\n" : "") + line + "\n",
            StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
      } catch (IOException e) {
        throw new IllegalStateException("cannot append to " + out, e);
      }
    }
  }

  /** Drives one agent's cycles by hand until a cycle finds nothing to push or pull. */
  static void syncUntilClean(WebserverSync w) {
    for (int i = 0; i < 100_000; i++) {
      SyncOutcome o = w.agent().syncOnce();
      if (o == SyncOutcome.UNAVAILABLE) {
        throw new IllegalStateException("the cluster is unavailable");
      }
      if (o == SyncOutcome.IDLE) {
        return;
      }
    }
    throw new IllegalStateException("sync did not settle");
  }

  // ---- propagation A -> B -------------------------------------------------------------------------

  @Command(name = "propagation", description = "delay from a write on webserver A until webserver B has it")
  static final class Propagation implements Callable<Integer> {
    @Mixin Target t;
    @Option(names = "--mode", defaultValue = "push", description = "push (watch stream + poll) or poll (poll only)")
    String mode;
    @Option(names = "--samples", defaultValue = "200")
    int samples;
    @Option(names = "--warmup", defaultValue = "5", description = "unrecorded first writes (B's first sync, watch)")
    int warmup;
    @Option(names = "--interval", defaultValue = "10s", description = "Datastore-Update-Interval of both")
    Duration interval;

    @Override
    public Integer call() throws Exception {
      boolean push = mode.equals("push");
      try (WebserverSync a = t.webserver("a", t.cluster("a", t.endpoints), interval);
           WebserverSync b = t.webserver("b", push ? t.cluster("b", t.endpoints)
               : new PollOnly(t.cluster("b", t.endpoints)), interval)) {
        a.start();
        b.start();
        Histogram h = new Histogram(3_600_000_000L, 3);
        SplittableRandom random = new SplittableRandom();
        for (int i = -warmup; i < samples; i++) {
          String id = "p-" + UUID.randomUUID();
          long t0 = System.nanoTime();
          a.put("dashboard", id, ByteString.copyFromUtf8("{\"n\":" + i + "}"), null);
          while (b.get("dashboard", id).isEmpty()) {
            Thread.onSpinWait();
            Thread.sleep(0, 200_000);
          }
          if (i >= 0) {
            h.recordValue((System.nanoTime() - t0) / 1000);
          }
          // Writes land at random points of B's poll period, as real edits do.
          Thread.sleep(push ? 20 + random.nextInt(30) : random.nextLong(Math.max(1, interval.toMillis() / 5)));
        }
        String note = mode + ", interval " + interval.toMillis() + " ms, " + samples + " samples";
        t.record("propagation", mode + " p50", h.getValueAtPercentile(50) / 1000.0, "ms", note);
        t.record("propagation", mode + " p99", h.getValueAtPercentile(99) / 1000.0, "ms", note);
        t.record("propagation", mode + " max", h.getMaxValue() / 1000.0, "ms", note);
      }
      return 0;
    }
  }

  // ---- seeding ------------------------------------------------------------------------------------

  /** Pushes {@code objects} dashboards of {@code size} bytes through a webserver; records the rate. */
  static void seed(Target t, String scenario, int objects, int size) throws IOException {
    try (WebserverSync w = t.webserver("seed", t.cluster("seed", t.endpoints), Duration.ofHours(1))) {
      byte[] body = new byte[size];
      Arrays.fill(body, (byte) 'x');
      for (int i = 0; i < objects; i++) {
        w.put("dashboard", String.format("obj-%08d", i), ByteString.copyFrom(body), null);
      }
      long t0 = System.nanoTime();
      syncUntilClean(w);
      double seconds = (System.nanoTime() - t0) / 1e9;
      t.record(scenario, "seed push", objects / seconds, "obj/s", objects + " objects of " + size + " B");
    }
  }

  // ---- idle check-in ------------------------------------------------------------------------------

  @Command(name = "checkin", description = "bytes on the wire and node CPU per idle check-in")
  static final class Checkin implements Callable<Integer> {
    @Mixin Target t;
    @Option(names = "--objects", defaultValue = "100000")
    int objects;
    @Option(names = "--size", defaultValue = "1024")
    int size;
    @Option(names = "--checkins", defaultValue = "1000")
    int checkins;

    @Override
    public Integer call() throws Exception {
      seed(t, "checkin", objects, size);
      String[] first = t.endpoints.get(0).split(":");
      try (ByteCountingProxy proxy = new ByteCountingProxy(first[0], Integer.parseInt(first[1]));
           WebserverSync w = t.webserver("idle", t.cluster("idle", List.of(proxy.endpoint())), Duration.ofHours(1))) {
        syncUntilClean(w);
        NodeProbe probe = t.probe();
        // The nodes' own background work (Raft heartbeats, metrics) over a quiet second, subtracted below.
        double idleCpuPerSecond = 0;
        if (!t.nodePids.isEmpty()) {
          double c = probe.cpuSeconds();
          long q = System.nanoTime();
          Thread.sleep(2000);
          idleCpuPerSecond = (probe.cpuSeconds() - c) / ((System.nanoTime() - q) / 1e9);
        }
        long bytes0 = proxy.total();
        double cpu0 = t.nodePids.isEmpty() ? 0 : probe.cpuSeconds();
        long t0 = System.nanoTime();
        for (int i = 0; i < checkins; i++) {
          SyncOutcome o = w.agent().syncOnce();
          if (o != SyncOutcome.IDLE) {
            throw new IllegalStateException("check-in " + i + " was not idle: " + o);
          }
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        String note = objects + " objects synced; " + checkins + " check-ins; TLS " + (t.ca != null);
        t.record("checkin", "bytes per idle check-in", (double) (proxy.total() - bytes0) / checkins, "B", note);
        t.record("checkin", "client-side latency", wall * 1000 / checkins, "ms", note);
        if (!t.nodePids.isEmpty()) {
          double used = probe.cpuSeconds() - cpu0 - idleCpuPerSecond * wall;
          t.record("checkin", "node CPU per idle check-in", Math.max(0, used) * 1e6 / checkins, "us",
              note + "; all nodes together, background use subtracted");
        }
      }
      return 0;
    }
  }

  // ---- cold sync ----------------------------------------------------------------------------------

  @Command(name = "cold-sync", description = "a new webserver's first sync of N objects")
  static final class ColdSync implements Callable<Integer> {
    @Mixin Target t;
    @Option(names = "--objects", defaultValue = "100000")
    int objects;
    @Option(names = "--size", defaultValue = "1024")
    int size;
    @Option(names = "--skip-seed", description = "the cluster already holds the objects")
    boolean skipSeed;

    @Override
    public Integer call() throws Exception {
      if (!skipSeed) {
        seed(t, "cold-sync", objects, size);
      }
      try (WebserverSync w = t.webserver("cold", t.cluster("cold", t.endpoints), Duration.ofHours(1))) {
        long t0 = System.nanoTime();
        syncUntilClean(w);
        double seconds = (System.nanoTime() - t0) / 1e9;
        long have = w.count("dashboard");
        t.record("cold-sync", "time to first full sync", seconds, "s", have + " objects of " + size + " B");
        if (have < objects) {
          throw new IllegalStateException("synced only " + have + " of " + objects + " objects");
        }
      }
      return 0;
    }
  }

  // ---- large resource upload -----------------------------------------------------------------------

  @Command(name = "upload", description = "a large resource uploaded and replicated; peak heaps")
  static final class Upload implements Callable<Integer> {
    @Mixin Target t;
    @Option(names = "--mib", defaultValue = "512")
    int mib;
    @Option(names = "--warmup-mib", defaultValue = "256", description = "an unmeasured resource uploaded first, "
        + "so the JITs of client and nodes have compiled the upload path (0: none)")
    int warmupMib;

    @Override
    public Integer call() throws Exception {
      long bytes = (long) mib << 20;
      try (NodeProbe probe = t.probe();
           WebserverSync w = t.webserver("upload", t.cluster("upload", t.endpoints), Duration.ofHours(1))) {
        w.agent().syncOnce(); // learn the entry limit (chunk size) first
        if (warmupMib > 0) {
          long warm = (long) warmupMib << 20;
          w.content().write("warm-up", new PatternStream(warm, 1), warm, null);
          syncUntilClean(w);
        }
        resetHeapPeaks();
        probe.startHeapSampling();
        long t0 = System.nanoTime();
        ContentManifest m = w.content().write("big", new PatternStream(bytes), bytes, null);
        double stored = (System.nanoTime() - t0) / 1e9;
        syncUntilClean(w);
        double replicated = (System.nanoTime() - t0) / 1e9;
        String note = mib + " MiB in " + m.chunkCount() + " chunks of " + m.chunkBytes() + " B; "
            + "committed = acknowledged by a Raft majority";
        t.record("upload", "local chunking", mib / stored, "MiB/s", note);
        t.record("upload", "upload + commit", mib / replicated, "MiB/s", note);
        t.record("upload", "client peak heap", mib(clientPeakHeap()), "MiB", note);
        if (!t.metrics.isEmpty()) {
          t.record("upload", "node peak heap (max over nodes)", mib(probe.peakHeapBytes()), "MiB",
              "sampled every 100 ms from /metrics");
        }
      }
      return 0;
    }

    private static void resetHeapPeaks() {
      for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
        p.resetPeakUsage();
      }
    }

    private static long clientPeakHeap() {
      long sum = 0;
      for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
        if (p.getType() == MemoryType.HEAP) {
          sum += p.getPeakUsage().getUsed();
        }
      }
      return sum;
    }
  }

  /** Deterministic, incompressible-enough content generated on the fly, never whole in heap. */
  static final class PatternStream extends InputStream {
    private long remaining;
    private long state;

    PatternStream(long size) {
      this(size, 0);
    }

    /** Streams with different seeds differ, so no two resources hold the same bytes. */
    PatternStream(long size, long seed) {
      this.remaining = size;
      this.state = 0x9E3779B97F4A7C15L ^ (seed * 0xBF58476D1CE4E5B9L);
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (remaining == 0) {
        return -1;
      }
      int n = (int) Math.min(len, remaining);
      for (int i = 0; i < n; i++) {
        state ^= state << 13;
        state ^= state >>> 7;
        state ^= state << 17;
        b[off + i] = (byte) state;
      }
      remaining -= n;
      return n;
    }
  }

  // ---- a fleet of idle webservers --------------------------------------------------------------------

  @Command(name = "fleet", description = "N lightweight webservers checking in every interval; node CPU")
  static final class Fleet implements Callable<Integer> {
    @Mixin Target t;
    @Option(names = "--webservers", defaultValue = "1000")
    int webservers;
    @Option(names = "--interval", defaultValue = "10s")
    Duration interval;
    @Option(names = "--duration", defaultValue = "60s")
    Duration duration;
    // A fresh cluster's JITs compile for minutes (C2 was half of an idle leader's CPU 75 s after start);
    // the target is about a fleet at its steady rhythm, so the measurement starts after that.
    @Option(names = "--warmup", defaultValue = "180s", description = "fleet running before CPU is measured")
    Duration warmup;

    @Override
    public Integer call() throws Exception {
      // Each simulated webserver is one authenticated connection doing what an idle webserver does per
      // interval: one Ping. The connections share one event loop; the pings are spread over the period.
      List<DatastoreConnection> conns = new ArrayList<>();
      String secret = t.secret();
      SslContext ssl = t.ssl();
      for (int i = 0; i < webservers; i++) {
        String[] hp = t.endpoints.get(i % t.endpoints.size()).split(":");
        conns.add(DatastoreConnection.open(ConnectionOptions.of(hp[0], Integer.parseInt(hp[1]), ssl, secret,
            "sim-" + i)).get(30, TimeUnit.SECONDS));
      }
      ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);
      AtomicLong pings = new AtomicLong();
      AtomicLong failures = new AtomicLong();
      SplittableRandom random = new SplittableRandom();
      for (DatastoreConnection c : conns) {
        timer.scheduleAtFixedRate(() -> c.send(Request.newBuilder().setPing(Ping.getDefaultInstance()))
                .whenComplete((r, e) -> (e == null && !r.hasError() ? pings : failures).incrementAndGet()),
            random.nextLong(interval.toMillis()), interval.toMillis(), TimeUnit.MILLISECONDS);
      }
      Thread.sleep(Math.max(interval.toMillis(), warmup.toMillis())); // every webserver at its rhythm, JITs done
      NodeProbe probe = t.probe();
      double cpu0 = probe.cpuSeconds();
      long pings0 = pings.get();
      long t0 = System.nanoTime();
      Thread.sleep(duration.toMillis());
      double wall = (System.nanoTime() - t0) / 1e9;
      double cpu = probe.cpuSeconds() - cpu0;
      timer.shutdownNow();
      conns.forEach(DatastoreConnection::close);
      String note = webservers + " webservers, interval " + interval.toSeconds() + " s, warm-up "
          + warmup.toSeconds() + " s, " + (pings.get() - pings0)
          + " pings in " + Math.round(wall) + " s, " + failures.get() + " failed";
      t.record("fleet", "cluster CPU (% of one core)", 100 * cpu / wall, "%", note + "; all nodes together");
      return failures.get() == 0 ? 0 : 1;
    }
  }

  // ---- a node restarted -----------------------------------------------------------------------------

  @Command(name = "restart", description = "a follower holding N objects stopped and started again: RSS before"
      + " and after, time from its start until /health/ready answers 200")
  static final class Restart implements Callable<Integer> {
    @Mixin Target t;
    @Option(names = "--objects", defaultValue = "100000")
    int objects;
    @Option(names = "--size", defaultValue = "1024")
    int size;
    @Option(names = "--node", description = "the node to restart (default: a follower)")
    String node;
    @Option(names = "--settle", defaultValue = "10s", description = "quiet time after seeding before RSS is read")
    Duration settle;
    @Option(names = "--after", defaultValue = "30s", description = "RSS read again this long after ready")
    Duration after;
    @Option(names = "--timeout", defaultValue = "300s", description = "longest wait for ready")
    Duration timeout;

    @Override
    public Integer call() throws Exception {
      ClusterControl c = t.control();
      seed(t, "restart", objects, size);
      Thread.sleep(settle.toMillis());
      String id = node != null ? node : c.follower();
      String note = id + " (" + c.health(id).role().toLowerCase(Locale.ROOT) + " before) holding " + objects
          + " objects of " + size + " B";
      t.record("restart", id + " rss_mib_before", mib(NodeProbe.rssBytes(c.pid(id))), "MiB",
          note + "; " + settle.toSeconds() + " s after seeding");
      long s0 = System.nanoTime();
      c.stopNode(id);
      t.record("restart", id + " stop_ms", (System.nanoTime() - s0) / 1e6, "ms",
          note + "; TERM until the process is gone (the script checks every 0.1 s)");
      // From the launch of the script's start-node (a few ms of bash before the JVM's exec) to the first 200.
      long t0 = System.nanoTime();
      c.startNode(id);
      long ready = c.await(id, h -> h.status() == 200, timeout);
      t.record("restart", id + " ready_ms", (ready - t0) / 1e6, "ms",
          note + "; /health/ready polled every 50 ms");
      t.record("restart", id + " rss_mib_after_ready", mib(NodeProbe.rssBytes(c.pid(id))), "MiB", note);
      Thread.sleep(after.toMillis());
      t.record("restart", id + " rss_mib_after_" + after.toSeconds() + "s", mib(NodeProbe.rssBytes(c.pid(id))),
          "MiB", note);
      for (String n : c.ids()) {
        t.record("restart", n + " rss_mib_end", mib(NodeProbe.rssBytes(c.pid(n))), "MiB",
            n + " " + c.health(n).role().toLowerCase(Locale.ROOT) + " at the end");
      }
      return 0;
    }
  }

  static double mib(long bytes) {
    return bytes / 1048576.0;
  }

  // ---- an empty replacement node catching up ----------------------------------------------------------

  @Command(name = "catch-up", description = "a follower's disk lost and the node replaced as the runbook says"
      + " (replace-node, then serve --join): time until it has applied the leader's commit index")
  static final class CatchUp implements Callable<Integer> {
    @Mixin Target t;
    @Option(names = "--mib", defaultValue = "1024", description = "state to load, as resources")
    int mib;
    @Option(names = "--resource-mib", defaultValue = "16", description = "size of each resource")
    int resourceMib;
    // A cluster that has run for a while has a snapshot and a purged log; a fresh one holding only ~2,000
    // chunk entries would not (Datastore-Snapshot-Threshold is 10,000 entries).
    @Option(names = "--snapshot", negatable = true, defaultValue = "true", fallbackValue = "true",
        description = "ask the leader for a snapshot before the disk is lost (--no-snapshot: log replay only)")
    boolean snapshot;
    @Option(names = "--timeout", defaultValue = "600s", description = "longest wait for the catch-up")
    Duration timeout;

    @Override
    public Integer call() throws Exception {
      ClusterControl c = t.control();
      double loadSeconds = load();
      t.record("catch-up", "seed upload", mib / loadSeconds, "MiB/s",
          mib + " MiB as resources of " + resourceMib + " MiB");
      String leader = c.leader();
      String snapshotNote = "no snapshot asked for";
      if (snapshot) {
        ClusterControl.Cli snap = c.cli("snapshot", "--timeout", "600s", "-c", c.conf(leader).toString());
        if (snap.waitFor(Duration.ofMinutes(10)) != 0) {
          throw new IllegalStateException("datastore snapshot failed: " + snap.output());
        }
        snapshotNote = "leader " + leader + ": " + snap.lastLine();
      }
      String id = c.follower();
      String peer = c.confValue(id, "Datastore-Peer");
      c.stopNode(id);
      c.wipe(id);
      // The runbook's order for the same id: replace-node removes the old member first, then waits for the
      // empty node; started before that, the node would be sent heartbeats for a log it no longer has.
      ClusterControl.Cli replace = c.cli("replace-node", id, "--with", peer, "-c", c.conf(leader).toString());
      replace.awaitLine("step 1 of 2", Duration.ofMinutes(2));
      long target = c.health(leader).commitIndex();
      long logOffset = c.logSize(id);
      long t0 = System.nanoTime();
      c.startNode(id, "--join");
      long answered = c.await(id, h -> h.status() > 0, timeout);
      long caughtUp = c.await(id, h -> h.appliedIndex() >= target, timeout);
      if (replace.waitFor(timeout) != 0) {
        throw new IllegalStateException("replace-node failed: " + replace.output());
      }
      // The state machine logs this when it restores an installed snapshot; a wiped node has no other.
      String via = c.logSince(id, logOffset).contains("is behind snapshot") ? "snapshot install + log" : "log replay";
      Thread.sleep(6000); // the nodes refresh their store size gauges every 5 s
      double stateMib = mib((long) c.metric(leader, "datastore_store_disk_bytes"));
      String note = id + " empty until applied index " + target + " (the leader's commit index at its start); via "
          + via + "; " + snapshotNote;
      t.record("catch-up", id + " first_answer_ms", (answered - t0) / 1e6, "ms",
          "start until /health/ready answered at all (JVM and node start-up)");
      t.record("catch-up", id + " catch_up_ms", (caughtUp - t0) / 1e6, "ms",
          note + "; /health/ready polled every 50 ms");
      t.record("catch-up", id + " replace_node_ms", (replace.exitNanos() - t0) / 1e6, "ms",
          "start until replace-node exited (" + id + " a voter again)");
      t.record("catch-up", "state_mib", stateMib, "MiB", "datastore_store_disk_bytes of leader " + leader);
      t.record("catch-up", id + " store_mib_after", mib((long) c.metric(id, "datastore_store_disk_bytes")), "MiB",
          "datastore_store_disk_bytes of " + id + " after catching up");
      return 0;
    }

    /** Uploads the resources through one webserver; returns seconds taken. */
    private double load() throws IOException {
      long total = (long) mib << 20;
      long each = (long) resourceMib << 20;
      long t0 = System.nanoTime();
      try (WebserverSync w = t.webserver("catch-up", t.cluster("catch-up", t.endpoints), Duration.ofHours(1))) {
        w.agent().syncOnce(); // learn the entry limit (chunk size) first
        for (long done = 0, r = 0; done < total; done += each, r++) {
          long n = Math.min(each, total - done);
          w.content().write(String.format("res-%05d", r), new PatternStream(n, r + 1), n, null);
          // One resource at a time: the client's queue and the nodes' entries in flight stay small.
          syncUntilClean(w);
        }
      }
      return (System.nanoTime() - t0) / 1e9;
    }
  }
}
