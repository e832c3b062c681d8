package io.gravwell.datastore.bench.sync;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Stops, wipes and starts the nodes of a cluster run by scripts/local-cluster.sh, through that script, so
 * a restarted node runs exactly as the script started it. Node facts come from each node's /health/ready
 * (role, leader, commit and applied index) and /metrics, node files from the script's run directory.
 */
final class ClusterControl {
  /** One /health/ready answer; status -1 when nothing answered (the node is down or still starting). */
  record Health(int status, String nodeId, String role, String leaderId, long commitIndex, long appliedIndex) {
    static final Health NONE = new Health(-1, "", "", "", -1, -1);
  }

  private final Path script;
  private final Path runDir;
  private final Map<String, String> metricsById = new LinkedHashMap<>();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  ClusterControl(Path script, Path runDir, List<String> metricsEndpoints) {
    this.script = script;
    this.runDir = runDir;
    // The metrics endpoints arrive in port order; each node says which id it is.
    for (String m : metricsEndpoints) {
      Health h = health(m);
      if (h.status() < 0 || h.nodeId().isEmpty()) {
        throw new IllegalStateException("no node answers /health/ready at " + m);
      }
      metricsById.put(h.nodeId(), m);
    }
  }

  List<String> ids() {
    return List.copyOf(metricsById.keySet());
  }

  Health health(String idOrEndpoint) {
    String endpoint = metricsById.getOrDefault(idOrEndpoint, idOrEndpoint);
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://" + endpoint + "/health/ready"))
          .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
      String b = r.body();
      return new Health(r.statusCode(), field(b, "nodeId"), field(b, "role"), field(b, "leaderId"),
          Long.parseLong(field(b, "commitIndex")), Long.parseLong(field(b, "appliedIndex")));
    } catch (IOException | RuntimeException e) {
      return Health.NONE;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Health.NONE;
    }
  }

  /** Readiness' JSON is flat and its strings are plain ids, so a pattern per field is enough. */
  private static String field(String json, String name) {
    Matcher m = Pattern.compile("\"" + name + "\":(?:\"([^\"]*)\"|(-?\\d+))").matcher(json);
    if (!m.find()) {
      throw new IllegalArgumentException("no " + name + " in " + json);
    }
    return m.group(1) != null ? m.group(1) : m.group(2);
  }

  String leader() {
    for (String id : ids()) {
      Health h = health(id);
      if (!h.leaderId().isEmpty()) {
        return h.leaderId();
      }
    }
    throw new IllegalStateException("no node knows a leader");
  }

  String follower() {
    String leader = leader();
    return ids().stream().filter(id -> !id.equals(leader) && health(id).status() == 200).findFirst()
        .orElseThrow(() -> new IllegalStateException("no ready follower"));
  }

  /** Polls /health/ready every 50 ms until {@code done}; returns System.nanoTime() of the first answer that was. */
  long await(String id, java.util.function.Predicate<Health> done, Duration timeout) throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    Health last = Health.NONE;
    while (System.nanoTime() < deadline) {
      last = health(id);
      if (done.test(last)) {
        return System.nanoTime();
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException(id + " not there after " + (System.nanoTime() - start) / 1_000_000 + " ms (timeout "
        + timeout.toSeconds() + " s); last /health/ready: " + last);
  }

  /** One series' value (summed over its label sets) from the node's /metrics. */
  double metric(String id, String name) throws IOException, InterruptedException {
    String text = http.send(HttpRequest.newBuilder(URI.create("http://" + metricsById.get(id) + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    return NodeProbe.sum(text, name, "");
  }

  int pid(String id) throws IOException {
    return Integer.parseInt(Files.readString(runDir.resolve(id + ".pid")).strip());
  }

  Path conf(String id) {
    return runDir.resolve(id + ".conf");
  }

  /** A key of the node's config as the script wrote it; for Datastore-Peer, the node's own line. */
  String confValue(String id, String key) throws IOException {
    for (String line : Files.readAllLines(conf(id))) {
      if (line.startsWith(key + "=") && (!key.equals("Datastore-Peer") || line.startsWith(key + "=" + id + ","))) {
        return line.substring(key.length() + 1).strip();
      }
    }
    throw new IllegalStateException("no " + key + " in " + conf(id));
  }

  void stopNode(String id) throws IOException, InterruptedException {
    script("stop-node", id);
  }

  void startNode(String id, String... serveOptions) throws IOException, InterruptedException {
    List<String> args = new ArrayList<>(List.of("start-node", id));
    args.addAll(List.of(serveOptions));
    script(args.toArray(String[]::new));
  }

  /** Deletes the node's Datastore-Data-Dir, as a lost disk would. */
  void wipe(String id) throws IOException {
    Path dir = Path.of(confValue(id, "Datastore-Data-Dir"));
    if (Files.exists(dir)) {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
          Files.delete(p);
        }
      }
    }
  }

  long logSize(String id) throws IOException {
    Path log = Path.of(confValue(id, "Log-File"));
    return Files.exists(log) ? Files.size(log) : 0;
  }

  /** What the node logged from byte {@code offset} on (from the start if the file was replaced). */
  String logSince(String id, long offset) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(confValue(id, "Log-File"), "r")) {
      long from = f.length() < offset ? 0 : offset;
      byte[] b = new byte[(int) Math.min(Integer.MAX_VALUE - 8, f.length() - from)];
      f.seek(from);
      f.readFully(b);
      return new String(b, StandardCharsets.UTF_8);
    }
  }

  private void script(String... args) throws IOException, InterruptedException {
    Cli p = cliProcess(args);
    int rc = p.waitFor(Duration.ofSeconds(120));
    if (rc != 0) {
      throw new IllegalStateException(script + " " + String.join(" ", args) + " exited " + rc + ": " + p.output());
    }
  }

  /** The datastore CLI, through the script (it knows the jar and hands the node secret over). */
  Cli cli(String... args) throws IOException {
    List<String> all = new ArrayList<>(List.of("cli"));
    all.addAll(List.of(args));
    return cliProcess(all.toArray(String[]::new));
  }

  private Cli cliProcess(String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(script.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("DATASTORE_RUN_DIR", runDir.toString());
    return new Cli(pb.start());
  }

  /** A running script or CLI command; its output (stdout and stderr) is collected line by line. */
  static final class Cli {
    private final Process process;
    private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
    private final Thread reader;
    private final CompletableFuture<Void> exited;
    private volatile long exitNanos;

    Cli(Process process) {
      this.process = process;
      // The JDK's reaper sees the exit; the time is taken there, not when someone next asks.
      this.exited = process.onExit().thenRun(() -> exitNanos = System.nanoTime());
      this.reader = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
            StandardCharsets.UTF_8))) {
          for (String line; (line = r.readLine()) != null; ) {
            lines.add(line);
          }
        } catch (IOException e) {
          lines.add("(reading the output failed: " + e + ")");
        }
      }, "cli-output");
      reader.setDaemon(true);
      reader.start();
    }

    /** Waits until the command printed a line containing {@code text}. */
    void awaitLine(String text, Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!output().contains(text)) {
        if (System.nanoTime() > deadline || !process.isAlive() && !reader.isAlive()) {
          process.destroy();
          throw new IllegalStateException("no '" + text + "' from the command: " + output());
        }
        Thread.sleep(50);
      }
    }

    /** The exit code; the process is destroyed and an exception thrown if it runs longer than {@code timeout}. */
    int waitFor(Duration timeout) throws InterruptedException {
      try {
        exited.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException | ExecutionException e) {
        process.destroy();
        throw new IllegalStateException("still running after " + timeout.toSeconds() + " s: " + output());
      }
      reader.join(5000);
      return process.exitValue();
    }

    /** System.nanoTime() when the process was seen to exit (call after {@link #waitFor}). */
    long exitNanos() {
      return exitNanos;
    }

    String lastLine() {
      synchronized (lines) {
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
      }
    }

    String output() {
      synchronized (lines) {
        return String.join("\n", lines);
      }
    }
  }
}
