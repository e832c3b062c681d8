package io.gravwell.datastore.chaos.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import java.nio.file.Path;

/**
 * One labelled container at a fixed address, with a host directory mounted at {@link ChaosImages#RUN_DIR}
 * (config, data, log) and the TLS directory read-only. Driven through the engine's API rather than
 * Testcontainers' GenericContainer, whose stop() removes the container: faults need kill and restart of
 * the same container, keeping its address and its disk.
 */
public final class ChaosContainer {
  private final String name;
  private final String address;
  private final Path hostDir;
  private String id;

  public ChaosContainer(String run, String name, String image, ChaosNetwork network, String address,
      Path hostDir, Path tlsDir) {
    this.name = name;
    this.address = address;
    this.hostDir = hostDir;
    DockerClient docker = DockerEngine.client();
    HostConfig host = HostConfig.newHostConfig()
        .withNetworkMode(network.name())
        .withMemory(512L * 1024 * 1024)
        .withBinds(new Bind(hostDir.toAbsolutePath().toString(), new Volume(ChaosImages.RUN_DIR)),
            new Bind(tlsDir.toAbsolutePath().toString(), new Volume(ChaosImages.TLS_DIR)));
    this.id = docker.createContainerCmd(image)
        .withName("chaos-" + run + "-" + name)
        .withHostName(name)
        .withLabels(DockerEngine.labels(run))
        .withHostConfig(host)
        .withIpv4Address(address)
        .exec().getId();
  }

  public String name() {
    return name;
  }

  public String address() {
    return address;
  }

  public Path hostDir() {
    return hostDir;
  }

  /** Starts the container; one that is already running (HTTP 304 from the engine) is left as it is. */
  public void start() {
    try {
      DockerEngine.client().startContainerCmd(id).exec();
    } catch (com.github.dockerjava.api.exception.NotModifiedException alreadyRunning) {
      // a start raced with the engine still finishing a previous kill/start: nothing to do
    }
  }

  /** SIGKILL: no shutdown hook runs, nothing is flushed. Returns once the engine reports it stopped. */
  public void kill() {
    if (isRunning()) {
      try {
        DockerEngine.client().killContainerCmd(id).withSignal("KILL").exec();
      } catch (com.github.dockerjava.api.exception.ConflictException notRunning) {
        // it died on its own meanwhile
      }
    }
    org.awaitility.Awaitility.await(name + " stopped").atMost(java.time.Duration.ofSeconds(60))
        .pollInterval(java.time.Duration.ofMillis(100)).until(() -> !isRunning());
  }

  /** SIGTERM, then SIGKILL after 10 s. */
  public void stop() {
    if (isRunning()) {
      DockerEngine.client().stopContainerCmd(id).withTimeout(10).exec();
    }
  }

  public void pause() {
    DockerEngine.client().pauseContainerCmd(id).exec();
  }

  public void unpause() {
    DockerEngine.client().unpauseContainerCmd(id).exec();
  }

  public boolean isPaused() {
    Boolean p = DockerEngine.client().inspectContainerCmd(id).exec().getState().getPaused();
    return Boolean.TRUE.equals(p);
  }

  public boolean isRunning() {
    Boolean r = DockerEngine.client().inspectContainerCmd(id).exec().getState().getRunning();
    return Boolean.TRUE.equals(r);
  }

  /** Runs a command inside the (running) container and returns its exit code and output. */
  public Host.Result exec(String... command) {
    java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of("docker", "exec", id));
    cmd.addAll(java.util.List.of(command));
    return Host.run(cmd);
  }

  public void remove() {
    try {
      DockerEngine.client().removeContainerCmd(id).withForce(true).exec();
    } catch (RuntimeException e) {
      // already gone, or removeEverythingOurs() at the end of the run retries
    }
  }

  @Override
  public String toString() {
    return name + "@" + address;
  }
}
