package io.gravwell.datastore.webserver;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.gravwell.datastore.node.cluster.LocalCluster;
import io.gravwell.datastore.protocol.v1.StoredObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Reference webservers on loopback against LocalClusters. Each webserver gets its own data dir, a random
 * Webserver-UUID and a free HTTP port; {@link #restart} brings one back on the same data and identity,
 * possibly pointed at another cluster.
 */
final class Fleet implements AutoCloseable {

  /** One running webserver and a client for it. */
  record Member(String name, ReferenceWebserver server, WebClient http, UUID uuid, Path dataDir) {}

  private final Path root;
  private final Duration interval;
  private final List<Member> members = new ArrayList<>();

  Fleet(Path root, Duration interval) {
    this.root = root;
    this.interval = interval;
  }

  Member start(String name, LocalCluster cluster, String... extraLines) {
    return start(name, cluster, Clock.systemUTC(), extraLines);
  }

  /** A webserver whose clock is {@code clock}: a skewed clock makes its writes lose or win conflicts. */
  Member start(String name, LocalCluster cluster, Clock clock, String... extraLines) {
    return start(name, cluster, clock, UUID.randomUUID(), root.resolve(name), extraLines);
  }

  /** Stops {@code m} and starts it again on the same data and UUID, pointed at {@code cluster}. */
  Member restart(Member m, LocalCluster cluster) {
    return restart(m, cluster, Clock.systemUTC());
  }

  /** As {@link #restart(Member, LocalCluster)}, with a clock; {@code m} may already be stopped. */
  Member restart(Member m, LocalCluster cluster, Clock clock) {
    stop(m);
    return start(m.name(), cluster, clock, m.uuid(), m.dataDir());
  }

  void stop(Member m) {
    if (members.remove(m)) {
      m.server().stop();
    }
  }

  private Member start(String name, LocalCluster cluster, Clock clock, UUID uuid, Path dataDir,
      String... extraLines) {
    StringBuilder conf = new StringBuilder("[Global]\n");
    // Two lines, the first with two endpoints: both spellings of the list are exercised.
    conf.append("Datastore=").append(endpoint(cluster, 0));
    for (int i = 1; i < Math.min(2, cluster.size()); i++) {
      conf.append(',').append(endpoint(cluster, i));
    }
    conf.append('\n');
    for (int i = 2; i < cluster.size(); i++) {
      conf.append("Datastore=").append(endpoint(cluster, i)).append('\n');
    }
    conf.append("Control-Auth=").append(LocalCluster.SECRET).append('\n')
        .append("Datastore-CA-File=").append(cluster.certificate()).append('\n')
        .append("Webserver-UUID=").append(uuid).append('\n')
        .append("External-Addr=").append(name).append(".test:443\n")
        .append("Datastore-Update-Interval=").append(interval.toMillis()).append("ms\n")
        .append("Web-Port=0\n")
        .append("Webserver-Data-Dir=").append(dataDir).append('\n');
    for (String line : extraLines) {
      conf.append(line).append('\n');
    }
    WebserverConfig config = WebserverConfig.parse(conf.toString(), name + ".conf", Map.of());
    try {
      ReferenceWebserver server = new ReferenceWebserver(config, clock).start();
      Member m = new Member(name, server, new WebClient(server.port()), uuid, dataDir);
      members.add(m);
      return m;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String endpoint(LocalCluster c, int i) {
    return "127.0.0.1:" + c.clientPort(i);
  }

  static JsonNode health(Member m) {
    return m.http().get("/health").json();
  }

  static void awaitAvailable(Member m, boolean available, Duration atMost) {
    await().atMost(atMost).pollInterval(Duration.ofMillis(50)).until(
        () -> health(m).path("datastore_available").asBoolean() == available);
  }

  /** kind/id → payload of every live object except registry entries (whose stamps differ by design). */
  static Map<String, String> contents(Member m) {
    Map<String, String> out = new TreeMap<>();
    for (StoredObject o : m.server().sync().list("")) {
      if (!o.getKey().getKind().equals("webserver")) {
        out.put(o.getKey().getKind() + "/" + o.getKey().getId(), o.getPayload().toStringUtf8());
      }
    }
    return out;
  }

  static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    for (Member m : List.copyOf(members)) {
      stop(m);
    }
  }
}
