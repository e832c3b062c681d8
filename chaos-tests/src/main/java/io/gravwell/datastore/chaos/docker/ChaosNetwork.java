package io.gravwell.datastore.chaos.docker;

import com.github.dockerjava.api.model.Network;
import java.util.random.RandomGenerator;

/**
 * A user-defined bridge network with a subnet of our choosing, so that every container gets a fixed
 * address: a node keeps its address across kill, restart and a wiped disk, as a real server does.
 */
public final class ChaosNetwork implements AutoCloseable {
  private final String name;
  private final String id;
  private final String prefix;

  private ChaosNetwork(String name, String id, String prefix) {
    this.name = name;
    this.id = id;
    this.prefix = prefix;
  }

  /** Creates a network on a free 10.231.x.0/24 (tries random x until the engine accepts one). */
  public static ChaosNetwork create(String run, RandomGenerator random) {
    RuntimeException last = null;
    for (int attempt = 0; attempt < 20; attempt++) {
      String prefix = "10.231." + (10 + random.nextInt(240)) + ".";
      String name = "chaos-" + run + "-" + attempt;
      try {
        String id = DockerEngine.client().createNetworkCmd()
            .withName(name)
            .withDriver("bridge")
            .withLabels(DockerEngine.labels(run))
            .withIpam(new Network.Ipam().withConfig(
                new Network.Ipam.Config().withSubnet(prefix + "0/24").withGateway(prefix + "1")))
            .exec().getId();
        return new ChaosNetwork(name, id, prefix);
      } catch (RuntimeException e) {
        last = e; // the subnet overlaps another network: try another one
      }
    }
    throw new IllegalStateException("could not create a docker network: " + last, last);
  }

  public String name() {
    return name;
  }

  /** The address of host {@code n} (2..254) on this network. */
  public String address(int n) {
    return prefix + n;
  }

  /** The host's own address on this network (the bridge gateway): containers reach the test JVM here. */
  public String gateway() {
    return prefix + "1";
  }

  @Override
  public void close() {
    try {
      DockerEngine.client().removeNetworkCmd(id).exec();
    } catch (RuntimeException e) {
      // removeEverythingOurs() at the end of the run retries
    }
  }
}
