package io.gravwell.datastore.chaos.run;

import io.gravwell.datastore.chaos.nemesis.Combined;
import io.gravwell.datastore.chaos.nemesis.DiskLossNemesis;
import io.gravwell.datastore.chaos.nemesis.KillNemesis;
import io.gravwell.datastore.chaos.nemesis.LatencyNemesis;
import io.gravwell.datastore.chaos.nemesis.LossNemesis;
import io.gravwell.datastore.chaos.nemesis.MembershipNemesis;
import io.gravwell.datastore.chaos.nemesis.PartitionNemesis;
import io.gravwell.datastore.chaos.nemesis.PartitionNemesis.Shape;
import io.gravwell.datastore.chaos.nemesis.PauseNemesis;
import io.gravwell.datastore.chaos.nemesis.RollingRestartNemesis;
import io.gravwell.datastore.chaos.workload.RegisterWorkload;
import io.gravwell.datastore.chaos.workload.SetWorkload;
import io.gravwell.datastore.chaos.workload.SyncWorkload;
import io.gravwell.datastore.chaos.workload.Workload;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/** Every run of the CI profile: each nemesis once, with the workloads (and so the checkers) that apply. */
public final class RunCatalog {
  private RunCatalog() {}

  /**
   * 6 register clients do about 30 operations a second; over a run's ~45 s of load, 5 keys keep each key's
   * history at a few hundred operations, which the linearizability search decides well within its budget.
   */
  private static RegisterWorkload registers() {
    return new RegisterWorkload(5, 6, Duration.ofMillis(150));
  }

  static List<Workload> core() {
    return List.of(registers(), new SetWorkload(3, Duration.ofMillis(100)));
  }

  static List<Workload> all() {
    return List.of(registers(), new SetWorkload(3, Duration.ofMillis(100)), new SyncWorkload(3));
  }

  /** The CI profile's runs; {@code longProfile} adds combinations of nemeses. */
  public static List<RunSpec> runs(boolean longProfile) {
    List<RunSpec> runs = new java.util.ArrayList<>(single());
    if (longProfile) {
      runs.add(RunSpec.of("kill-and-partition",
          () -> new Combined(KillNemesis.randomNode(), new PartitionNemesis(Shape.RANDOM_HALVES)), RunCatalog::core));
      runs.add(RunSpec.of("pause-and-latency", () -> new Combined(new PauseNemesis(false), new LatencyNemesis()),
          RunCatalog::core));
    }
    return runs;
  }

  private static List<RunSpec> single() {
    Supplier<List<Workload>> core = RunCatalog::core;
    Supplier<List<Workload>> all = RunCatalog::all;
    return List.of(
        RunSpec.of("kill-leader", KillNemesis::leader, all),
        RunSpec.of("kill-random", KillNemesis::randomNode, core),
        RunSpec.of("pause", () -> new PauseNemesis(true), core),
        RunSpec.of("partition-leader-isolated", () -> new PartitionNemesis(Shape.LEADER_ISOLATED), core),
        RunSpec.of("partition-random-halves", () -> new PartitionNemesis(Shape.RANDOM_HALVES), all),
        RunSpec.of("partition-bridge", () -> new PartitionNemesis(Shape.BRIDGE), core),
        RunSpec.of("one-way-loss", () -> new LossNemesis(0.5), core),
        RunSpec.of("lose-one-disk", DiskLossNemesis::oneNode, all),
        RunSpec.of("lose-every-disk", DiskLossNemesis::everyNode, () -> List.of(new SyncWorkload(3)))
            .withFaultPhase(Duration.ofSeconds(1)).withHold(Duration.ofSeconds(3)),
        RunSpec.of("rolling-restart", RollingRestartNemesis::new, core).withFaultPhase(Duration.ofSeconds(1)),
        RunSpec.of("latency", LatencyNemesis::new, core),
        RunSpec.of("membership", MembershipNemesis::new, core));
  }
}
