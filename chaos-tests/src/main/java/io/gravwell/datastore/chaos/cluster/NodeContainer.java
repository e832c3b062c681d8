package io.gravwell.datastore.chaos.cluster;

import io.gravwell.datastore.chaos.docker.ChaosContainer;
import io.gravwell.datastore.chaos.docker.ChaosImages;
import io.gravwell.datastore.chaos.docker.Host;
import io.gravwell.datastore.protocol.client.ConnectionOptions;
import io.gravwell.datastore.protocol.client.DatastoreConnection;
import io.gravwell.datastore.protocol.v1.Identity;
import io.gravwell.datastore.protocol.v1.Ping;
import io.gravwell.datastore.protocol.v1.Request;
import io.gravwell.datastore.protocol.v1.StatusResult;
import io.gravwell.datastore.protocol.v1.Status;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** One datastore node in a container: its id, fixed address, config, and the faults it can suffer. */
public final class NodeContainer {
  public static final int CLIENT_PORT = 9405;
  public static final int RAFT_PORT = 9406;

  private final String id;
  private final ChaosContainer container;
  private final ClusterSecrets secrets;

  NodeContainer(String id, ChaosContainer container, ClusterSecrets secrets) {
    this.id = id;
    this.container = container;
    this.secrets = secrets;
  }

  public String id() {
    return id;
  }

  public String address() {
    return container.address();
  }

  public ChaosContainer container() {
    return container;
  }

  public void start() {
    container.start();
  }

  public void kill() {
    container.kill();
  }

  public void stop() {
    container.stop();
  }

  public void pause() {
    container.pause();
  }

  public void unpause() {
    container.unpause();
  }

  public boolean isRunning() {
    return container.isRunning();
  }

  /** Deletes the node's whole data directory (Raft log, snapshots, store); the node must be down. */
  public void wipeData() {
    if (container.isRunning()) {
      throw new IllegalStateException(id + " is running: stop it before wiping its disk");
    }
    Path data = container.hostDir().resolve("data");
    if (Files.exists(data)) {
      try (Stream<Path> files = Files.walk(data)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** The node's own view of the group, or empty if it does not answer within a few seconds. */
  public Optional<StatusResult> status() {
    return statusAnswer().status();
  }

  /** A status, or why there is none (a failed run's report names it). */
  public record StatusAnswer(Optional<StatusResult> status, String failure) {}

  public StatusAnswer statusAnswer() {
    ConnectionOptions opts = connectionOptions("chaos-status").withRequestTimeout(Duration.ofSeconds(3));
    try (DatastoreConnection c = DatastoreConnection.open(opts).get(5, TimeUnit.SECONDS)) {
      return new StatusAnswer(Optional.of(c.call(Request.newBuilder().setStatus(Status.getDefaultInstance()))
          .get(5, TimeUnit.SECONDS).getStatus()), "");
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      return new StatusAnswer(Optional.empty(), cause.toString());
    }
  }

  /**
   * The node's thread dump, also kept beside its logs (threads-N.txt); empty if the JVM does not answer.
   * The node is PID 1 of its container.
   */
  public Optional<String> threadDump() {
    Host.Result r = container.exec("jcmd", "1", "Thread.print");
    if (!r.ok()) {
      return Optional.empty();
    }
    try {
      Files.writeString(container.hostDir().resolve("threads-" + System.currentTimeMillis() + ".txt"), r.output());
    } catch (IOException e) {
      // the excerpt in the report still says what matters
    }
    return Optional.of(r.output());
  }

  /** The cluster identity this node answers with (from a Ping), or empty if it does not answer. */
  public Optional<Identity> identity() {
    ConnectionOptions opts = connectionOptions("chaos-identity").withRequestTimeout(Duration.ofSeconds(3));
    try (DatastoreConnection c = DatastoreConnection.open(opts).get(5, TimeUnit.SECONDS)) {
      c.call(Request.newBuilder().setPing(Ping.getDefaultInstance())).get(5, TimeUnit.SECONDS);
      Identity id = c.lastIdentity();
      return id.getClusterId().isEmpty() ? Optional.empty() : Optional.of(id);
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      return Optional.empty();
    }
  }

  public ConnectionOptions connectionOptions(String clientId) {
    return ConnectionOptions.of(address(), CLIENT_PORT, secrets.clientSsl(), secrets.secret(), clientId);
  }

  /** Runs the node's own `datastore` command inside its container. */
  public Host.Result cli(String... args) {
    String[] cmd = new String[args.length + 3];
    cmd[0] = "java";
    cmd[1] = "-jar";
    cmd[2] = "/opt/gravwell/app.jar";
    System.arraycopy(args, 0, cmd, 3, args.length);
    return container.exec(cmd);
  }

  public Path configFile() {
    return container.hostDir().resolve("node.conf");
  }

  static String runPath(String file) {
    return ChaosImages.RUN_DIR + "/" + file;
  }

  @Override
  public String toString() {
    return id + "@" + address();
  }
}
