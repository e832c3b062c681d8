package io.gravwell.datastore.chaos.run;

import io.gravwell.datastore.chaos.cluster.ContainerCluster;
import io.gravwell.datastore.chaos.cluster.RaftRoute;
import io.gravwell.datastore.chaos.docker.Firewall;
import io.gravwell.datastore.chaos.history.CheckResult;
import io.gravwell.datastore.chaos.history.History;
import io.gravwell.datastore.chaos.history.NemesisEvent;
import io.gravwell.datastore.chaos.history.RunReport;
import io.gravwell.datastore.chaos.history.Verdict;
import io.gravwell.datastore.chaos.nemesis.Faults;
import io.gravwell.datastore.chaos.nemesis.LatencyNemesis;
import io.gravwell.datastore.chaos.nemesis.Nemesis;
import io.gravwell.datastore.chaos.nemesis.Timeline;
import io.gravwell.datastore.chaos.workload.Workload;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executes one {@link RunSpec} with one seed and writes its report ({@link RunReport}) under
 * {@code outputDir/<run>-<seed hex>}, next to the containers' configs and logs.
 */
public final class ChaosRun {
  private static final Logger LOG = LoggerFactory.getLogger(ChaosRun.class);
  /** Each workload numbers its processes in its own range of the run's one history. */
  private static final int PROCESSES_PER_WORKLOAD = 1_000_000;

  /** {@code skipped} is non-null when the nemesis cannot run on this build (and why). */
  public record Result(String name, long seed, Path dir, boolean valid, String summary, String skipped) {}

  private final RunSpec spec;
  private final String runId;
  private final Path dir;
  private final Path projectRoot;
  private final SplittableRandom random;
  private final long t0 = System.nanoTime();
  private final Timeline timeline = new Timeline(this::now);
  private final History history = new History(this::now);
  private final Nemesis nemesis;
  private final List<Workload> workloads;
  private final Map<String, CheckResult> verdicts = new LinkedHashMap<>();
  private final Firewall firewall = new Firewall();

  private final Path outputDir;

  private ChaosRun(RunSpec spec, long seed, Path projectRoot, Path outputDir) {
    this.spec = spec;
    this.runId = spec.name() + "-" + Long.toHexString(seed);
    this.outputDir = outputDir;
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
      // The timeline gets the first line; the verdict below carries the whole message (node states, stacks).
      timeline.record("run", NemesisEvent.Action.INFO, "run aborted: " + e.toString().lines().findFirst().orElse(""));
      verdicts.put("run-completed", CheckResult.violation("run aborted: " + e, List.of()));
    }
    if (skipped != null) {
      verdicts.put("skipped", CheckResult.pass("SKIPPED: " + skipped));
    }
    RunReport.write(outputDir, runId, seed, history.ops(), timeline.events(), verdicts);
    // INVALID and UNKNOWN (a checker that could not decide) both fail the run
    boolean valid = RunReport.overall(verdicts) == Verdict.VALID;
    if (!valid) {
      appendToSummary(NodeLogExcerpt.of(dir.resolve("nodes")));
      appendToSummary("\nreproduce: mvn -B -ntp verify -pl chaos-tests -am -Dtest=ChaosRunsTest"
          + " -Dsurefire.failIfNoSpecifiedTests=false -Dchaos.only=" + spec.name() + " -Dchaos.seed=" + seed + "\n");
    }
    String summary = Files.readString(dir.resolve("summary.txt"));
    LOG.info("=== chaos run {} seed {}: {} ===\n{}", spec.name(), seed, valid ? "PASS" : "FAIL", summary);
    return new Result(spec.name(), seed, dir, valid, summary, skipped);
  }

  private void appendToSummary(String text) throws IOException {
    Files.writeString(dir.resolve("summary.txt"), text, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
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
        timeline.record(nemesis.name(), NemesisEvent.Action.INFO, "SKIPPED: " + skipped);
      } else {
        for (int i = 0; i < workloads.size(); i++) {
          workloads.get(i).start(cluster, history, i * PROCESSES_PER_WORKLOAD, random.nextLong());
        }
        try {
          cycle(faults);
        } catch (Exception | AssertionError e) {
          // heal() below may fail too, and its exception would hide this one, the cause
          timeline.record(nemesis.name(), NemesisEvent.Action.INFO, "fault failed: " + e);
          throw e;
        } finally {
          nemesis.heal(faults);
          firewall.healAll();
        }
        cluster.awaitLeader(Duration.ofSeconds(90));
        cluster.awaitConverged(Duration.ofSeconds(90));
        timeline.record("run", NemesisEvent.Action.INFO, "healed and converged; final checks");
        for (Workload w : workloads) {
          w.stop();
        }
        for (Workload w : workloads) {
          verdicts.putAll(w.check(cluster, history));
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
