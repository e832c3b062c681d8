package io.gravwell.datastore.chaos.run;

import io.gravwell.datastore.chaos.nemesis.Nemesis;
import io.gravwell.datastore.chaos.workload.Workload;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * One chaos run: a fresh 3-node cluster, the workloads, and a nemesis that is started and healed in
 * cycles ({@code hold} faulty, {@code calm} healthy) for {@code faultPhase}; then a final heal, the final
 * reads and the checks.
 */
public record RunSpec(String name, Supplier<Nemesis> nemesis, Supplier<List<Workload>> workloads,
    Duration faultPhase, Duration hold, Duration calm, Duration updateInterval) {

  public static RunSpec of(String name, Supplier<Nemesis> nemesis, Supplier<List<Workload>> workloads) {
    return new RunSpec(name, nemesis, workloads, Duration.ofSeconds(30), Duration.ofSeconds(8),
        Duration.ofSeconds(5), Duration.ofSeconds(3));
  }

  public RunSpec withFaultPhase(Duration d) {
    return new RunSpec(name, nemesis, workloads, d, hold, calm, updateInterval);
  }

  public RunSpec withHold(Duration d) {
    return new RunSpec(name, nemesis, workloads, faultPhase, d, calm, updateInterval);
  }
}
