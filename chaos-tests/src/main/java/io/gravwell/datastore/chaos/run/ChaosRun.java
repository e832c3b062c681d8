package io.gravwell.datastore.chaos.run;

import io.gravwell.datastore.chaos.cluster.ContainerCluster;
import io.gravwell.datastore.chaos.cluster.RaftRoute;
import io.gravwell.datastore.chaos.docker.Firewall;
import io.gravwell.datastore.chaos.nemesis.Faults;
import io.gravwell.datastore.chaos.nemesis.LatencyNemesis;
import io.gravwell.datastore.chaos.nemesis.Nemesis;
import io.gravwell.datastore.chaos.nemesis.NemesisEvent;
import io.gravwell.datastore.chaos.nemesis.Timeline;
import io.gravwell.datastore.chaos.workload.Workload;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Executes one {@link RunSpec} with one seed and writes its report under {@code outputDir/<run>-<seed>}. */
public final class ChaosRun {
  private static final Logger LOG = LoggerFactory.getLogger(ChaosRun.class);

  /** {@code skipped} is non-null when the nemesis cannot run on this build (and why). */
  public record Result(String name, long seed, Path dir, boolean valid, String summary, String skipped) {}

  private final RunSpec spec;
  private final String runId;
  private final Path dir;
  private final Path projectRoot;
  private final SplittableRandom random;
  private final long t0 = System.nanoTime();
  private final Timeline timeline = new Timeline(this::now);
  private final Nemesis nemesis;
  private final List<Workload> workloads;
  private final Map<String, HistoryAdapter.Recorder> histories = new LinkedHashMap<>();
  private final Map<String, HistoryAdapter.Verdict> verdicts = new LinkedHashMap<>();
  private final Firewall firewall = new Firewall();

  private ChaosRun(RunSpec spec, long seed, Path projectRoot, Path outputDir) {
    this.spec = spec;
    this.runId = spec.name() + "-" + Long.toHexString(seed);
    this.dir = outputDir.resolve(runId);
    this.projectRoot = projectRoot;
    this.random = new SplittableRandom(seed);
    this.nemesis = spec.nemesis().get();
    this.workloads = spec.workloads().get();
  }

  private long now() {
    return System.nanoTime() - t0;
  }

  public static Result execute(RunSpec spec, long seed, Path projectRoot, Path outputDir) throws Exception {
    LOG.info("=== chaos run {} with seed {} (reproduce: -Dchaos.only={} -Dchaos.seed={}) ===", spec.name(), seed,
        spec.name(), seed);
    return new ChaosRun(spec, seed, projectRoot, outputDir).execute(seed);
  }

  private Result execute(long seed) throws Exception {
    String skipped = null;
    try {
      skipped = runAndCheck();
    } catch (Exception | AssertionError e) {
      // A run that could not finish (no leader, no convergence, a broken fault) is a failed verdict with a
      // report, not just a stack trace.
      timeline.record("run", NemesisEvent.Phase.INFO, "run aborted: " + e);
      verdicts.put("run-completed", new HistoryAdapter.Verdict(false, "run aborted: " + e, List.of()));
    }
    List<HistoryAdapter.Op> all = new ArrayList<>();
    histories.values().forEach(h -> all.addAll(h.ops()));
    if (skipped != null) {
      verdicts.put("skipped", new HistoryAdapter.Verdict(true, "SKIPPED: " + skipped, List.of()));
    }
    HistoryAdapter.writeReport(dir, spec.name(), seed, all, timeline.events(), verdicts);
    boolean valid = verdicts.values().stream().allMatch(HistoryAdapter.Verdict::valid);
    StringBuilder summary = new StringBuilder(java.nio.file.Files.readString(dir.resolve("summary.txt")));
    if (!valid) {
      summary.append("reproduce: mvn -B -ntp verify -pl chaos-tests -am -Dtest=ChaosRunsTest"
          + " -Dsurefire.failIfNoSpecifiedTests=false -Dchaos.only=").append(spec.name())
          .append(" -Dchaos.seed=").append(seed).append('\n');
      verdicts.forEach((k, v) -> {
        if (!v.valid() && !v.window().isEmpty()) {
          summary.append("history window around the violation of ").append(k).append(":\n");
          v.window().forEach(o -> summary.append("  ").append(o).append('\n'));
        }
      });
    }
    LOG.info("=== chaos run {} seed {}: {} ===\n{}", spec.name(), seed, valid ? "PASS" : "FAIL", summary);
    return new Result(spec.name(), seed, dir, valid, summary.toString(), skipped);
  }

  /** Returns why the nemesis was skipped, or null when the run happened. */
  private String runAndCheck() throws Exception {
    String skipped = null;
    RaftRoute route = nemesis instanceof LatencyNemesis l ? l.route() : RaftRoute.DIRECT;
    try (ContainerCluster cluster = ContainerCluster.start(runId.replaceAll("[^a-zA-Z0-9-]", ""), dir, projectRoot, 3, route,
        spec.updateInterval(), random.split())) {
      Faults faults = new Faults(cluster, firewall, random.split(), timeline);
      skipped = nemesis.unsupportedReason(faults);
      if (skipped != null) {
        timeline.record(nemesis.name(), NemesisEvent.Phase.INFO, "SKIPPED: " + skipped);
      } else {
        for (Workload w : workloads) {
          HistoryAdapter.Recorder h = new HistoryAdapter.Recorder(this::now);
          histories.put(w.name(), h);
          w.start(cluster, h, random.nextLong());
        }
        try {
          cycle(faults);
        } finally {
          nemesis.heal(faults);
          firewall.healAll();
        }
        cluster.awaitLeader(Duration.ofSeconds(90));
        cluster.awaitConverged(Duration.ofSeconds(90));
        timeline.record("run", NemesisEvent.Phase.INFO, "healed and converged; final checks");
        for (Workload w : workloads) {
          w.stop();
        }
        for (Workload w : workloads) {
          w.check(cluster, histories.get(w.name())).forEach((k, v) -> verdicts.put(k, v));
        }
      }
    } finally {
      firewall.healAll();
      workloads.forEach(Workload::stop);
      if (nemesis instanceof AutoCloseable c) {
        c.close();
      }
    }
    return skipped;
  }

  /** Start, hold, heal, calm, again, until the fault phase is over. */
  private void cycle(Faults faults) throws InterruptedException {
    pace(Duration.ofSeconds(3)); // let the workloads reach the healthy cluster first
    long end = System.nanoTime() + spec.faultPhase().toNanos();
    while (System.nanoTime() < end) {
      nemesis.start(faults);
      pace(spec.hold());
      nemesis.heal(faults);
      pace(spec.calm());
    }
  }

  /** The fault schedule is driven by time on purpose; nothing here waits for a condition. */
  private static void pace(Duration d) throws InterruptedException {
    Thread.sleep(d.toMillis());
  }
}
