package io.gravwell.datastore.chaos.workload;

import io.gravwell.datastore.chaos.cluster.ContainerCluster;
import io.gravwell.datastore.chaos.history.CheckResult;
import io.gravwell.datastore.chaos.history.History;
import java.util.Map;

/** Load that runs while the nemesis acts, and the checks over what it saw. */
public interface Workload {
  String name();

  /**
   * Starts the clients (their own threads), which record every operation into {@code history}; returns at
   * once. The run's workloads share one history, so this one numbers its processes from {@code firstProcess}
   * (a range no other workload uses).
   */
  void start(ContainerCluster cluster, History history, int firstProcess, long seed);

  /** Stops issuing operations and waits until every outstanding one completed or timed out. */
  void stop();

  /** After healing: final reads and the checks; one verdict per property. */
  Map<String, CheckResult> check(ContainerCluster cluster, History history);
}
