package io.gravwell.datastore.chaos.workload;

import io.gravwell.datastore.chaos.cluster.ContainerCluster;
import io.gravwell.datastore.chaos.run.HistoryAdapter;
import java.util.Map;

/** Load that runs while the nemesis acts, and the checks over what it saw. */
public interface Workload {
  String name();

  /** Starts the clients (their own threads); returns at once. */
  void start(ContainerCluster cluster, HistoryAdapter.Recorder history, long seed);

  /** Stops issuing operations and waits until every outstanding one completed or timed out. */
  void stop();

  /** After healing: final reads and the checks; one verdict per property. */
  Map<String, HistoryAdapter.Verdict> check(ContainerCluster cluster, HistoryAdapter.Recorder history);
}
