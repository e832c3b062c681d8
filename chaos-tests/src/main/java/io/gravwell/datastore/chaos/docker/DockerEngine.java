package io.gravwell.datastore.chaos.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Network;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;

/**
 * The Docker engine the chaos runs use, and the clean-up that Ryuk would otherwise do: every container
 * and network we create carries {@link #LABEL}, and {@link #removeEverythingOurs()} removes them (plus
 * our firewall rules) at the start of a run, to clear a crashed run's leftovers, and at the end.
 */
public final class DockerEngine {
  public static final String LABEL = "io.gravwell.datastore.chaos";
  public static final String BASE_IMAGE = "gravwell-datastore-base:jdk17";
  private static final Logger LOG = LoggerFactory.getLogger(DockerEngine.class);

  private DockerEngine() {}

  /** Why the chaos runs cannot use Docker here, or empty when they can. */
  public static Optional<String> unavailableReason() {
    if (!"true".equalsIgnoreCase(System.getenv("TESTCONTAINERS_RYUK_DISABLED"))) {
      return Optional.of("TESTCONTAINERS_RYUK_DISABLED=true is not set (Ryuk's image cannot be pulled here);"
          + " run through Maven (surefire sets it) or export it");
    }
    try {
      if (!DockerClientFactory.instance().isDockerAvailable()) {
        return Optional.of("no Docker engine answers; run scripts/docker-setup.sh as root");
      }
    } catch (RuntimeException | Error e) {
      return Optional.of("no Docker engine: " + e + "; run scripts/docker-setup.sh as root");
    }
    try {
      client().inspectImageCmd(BASE_IMAGE).exec();
    } catch (RuntimeException e) {
      return Optional.of("the local base image " + BASE_IMAGE + " is missing; run scripts/docker-setup.sh as root");
    }
    if (!Host.run("iptables", "-L", "DOCKER-USER", "-n").ok()) {
      return Optional.of("iptables cannot list the DOCKER-USER chain (partitions need it); run as root with iptables");
    }
    return Optional.empty();
  }

  public static DockerClient client() {
    return DockerClientFactory.instance().client();
  }

  public static Map<String, String> labels(String run) {
    return Map.of(LABEL, run);
  }

  /** Removes every container, network and firewall rule a chaos run made, finished or crashed. */
  public static void removeEverythingOurs() {
    DockerClient docker = client();
    List<Container> containers =
        docker.listContainersCmd().withShowAll(true).withLabelFilter(List.of(LABEL)).exec();
    for (Container c : containers) {
      try {
        docker.removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true).exec();
      } catch (RuntimeException e) {
        LOG.warn("could not remove container {}: {}", c.getNames(), e.getMessage());
      }
    }
    Firewall.removeAllOurRules();
    for (Network n : docker.listNetworksCmd().exec()) {
      if (n.getLabels() != null && n.getLabels().containsKey(LABEL)) {
        try {
          docker.removeNetworkCmd(n.getId()).exec();
        } catch (RuntimeException e) {
          LOG.warn("could not remove network {}: {}", n.getName(), e.getMessage());
        }
      }
    }
    if (!containers.isEmpty()) {
      LOG.info("removed {} chaos container(s)", containers.size());
    }
  }
}
