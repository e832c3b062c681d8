package io.gravwell.datastore.chaos.workload;

import io.gravwell.datastore.chaos.docker.Daemons;
import io.gravwell.datastore.chaos.cluster.ContainerCluster;
import io.gravwell.datastore.chaos.cluster.NodeContainer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * Client threads spread over the nodes (client i talks to node i mod N), each doing one operation at a
 * time with a short pause between operations. Client i starts as process firstProcess + i. A client whose
 * operation ended unknown continues as a new logical process (process + clients), as in Jepsen: the old one
 * may still have that operation in flight.
 */
final class ClientLoop {
  interface Step {
    /** Does one operation; returns false if its outcome was unknown (the process id then changes). */
    boolean run(NodeClient client, int process, SplittableRandom random);
  }

  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean running = true;

  void start(String name, ContainerCluster cluster, int clients, int firstProcess, long seed, Duration pause, Step step) {
    List<NodeContainer> nodes = cluster.nodes();
    SplittableRandom root = new SplittableRandom(seed);
    for (int i = 0; i < clients; i++) {
      int first = i;
      SplittableRandom random = root.split();
      NodeContainer node = nodes.get(i % nodes.size());
      Thread t = Daemons.start(name + "-" + i, () -> {
        int process = firstProcess + first;
        try (NodeClient client = new NodeClient(node, "chaos-" + name + "-" + first)) {
          while (running) {
            if (!step.run(client, process, random)) {
              process += clients;
            }
            LockSupport.parkNanos(pause.toNanos() / 2 + random.nextLong(pause.toNanos()));
          }
        }
      });
      threads.add(t);
    }
  }

  void stop() {
    running = false;
    Daemons.joinAll(threads, Duration.ofSeconds(30));
  }
}
