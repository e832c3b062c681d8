package io.gravwell.datastore.chaos.cluster;

import io.gravwell.datastore.chaos.docker.ChaosContainer;
import io.gravwell.datastore.chaos.docker.ChaosImages;
import io.gravwell.datastore.chaos.docker.ChaosNetwork;
import io.gravwell.datastore.protocol.v1.Member;
import io.gravwell.datastore.protocol.v1.StatusResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A datastore cluster of containers on its own network: nodes ds1..dsN at 10.231.x.11.., and reference
 * webservers web1.. at .21... Every node's config is a gravwell.conf file in its bind-mounted run
 * directory, so the faults act on the real product configuration.
 */
public final class ContainerCluster implements AutoCloseable {
  private static final int FIRST_NODE = 11;
  private static final int FIRST_WEBSERVER = 21;
  private static final int MAX_NODES = 5;
  private int created;

  private final String run;
  private final Path dir;
  private final Path projectRoot;
  private final ChaosNetwork network;
  private final ClusterSecrets secrets;
  private final RaftRoute route;
  private final List<NodeContainer> nodes = new CopyOnWriteArrayList<>();
  private final List<WebserverContainer> webservers = new CopyOnWriteArrayList<>();
  private final Duration updateInterval;
  private final RandomGenerator random;
  private final List<String> members = new ArrayList<>();

  private ContainerCluster(String run, Path dir, Path projectRoot, RaftRoute route, Duration updateInterval,
      RandomGenerator random) {
    this.run = run;
    this.dir = dir;
    this.projectRoot = projectRoot;
    this.route = route;
    this.updateInterval = updateInterval;
    this.random = random;
    this.network = ChaosNetwork.create(run, random);
    List<String> names = new ArrayList<>();
    IntStream.range(0, MAX_NODES).forEach(i -> names.add(network.address(FIRST_NODE + i)));
    names.add(network.gateway());
    this.secrets = ClusterSecrets.create(dir.resolve("tls"), names, random);
  }

  /**
   * Starts {@code size} nodes and waits until they elect a leader and commit the cluster identity.
   * {@code route} decides how nodes dial each other's Raft port; {@code routeSetup} may not be null.
   */
  public static ContainerCluster start(String run, Path dir, Path projectRoot, int size, RaftRoute route,
      Duration updateInterval, RandomGenerator random) {
    // A rerun with the same seed uses the same directory: nodes and webservers start from nothing.
    deleteTree(dir.resolve("nodes"));
    deleteTree(dir.resolve("webservers"));
    ContainerCluster c = new ContainerCluster(run, dir, projectRoot, route, updateInterval, random);
    try {
      for (int i = 1; i <= size; i++) {
        c.members.add("ds" + i);
      }
      for (String id : List.copyOf(c.members)) {
        c.createNode(id).start();
      }
      c.awaitLeader(Duration.ofSeconds(90));
      c.awaitIdentity(Duration.ofSeconds(60));
      return c;
    } catch (RuntimeException e) {
      c.close();
      throw e;
    }
  }

  public ChaosNetwork network() {
    return network;
  }

  public ClusterSecrets secrets() {
    return secrets;
  }

  public List<NodeContainer> nodes() {
    return List.copyOf(nodes);
  }

  public NodeContainer node(String id) {
    return nodes.stream().filter(n -> n.id().equals(id)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no node " + id));
  }

  public List<WebserverContainer> webservers() {
    return List.copyOf(webservers);
  }

  public String address(String nodeId) {
    return network.address(FIRST_NODE + Integer.parseInt(nodeId.substring(2)) - 1);
  }

  /** The leader as some running node reports it, if any node names one. */
  public Optional<NodeContainer> leader() {
    for (NodeContainer n : nodes) {
      Optional<StatusResult> s = n.status();
      if (s.isPresent() && "LEADER".equals(s.get().getRole())) {
        return Optional.of(n);
      }
    }
    return Optional.empty();
  }

  public NodeContainer awaitLeader(Duration timeout) {
    NodeContainer[] found = new NodeContainer[1];
    Awaitility.await("a leader among " + nodes).atMost(timeout).pollInterval(Duration.ofMillis(500))
        .until(() -> {
          Optional<NodeContainer> l = leader();
          l.ifPresent(n -> found[0] = n);
          return l.isPresent() && l.get().status().map(s -> s.getAppliedIndex() > 0).orElse(false);
        });
    return found[0];
  }

  /** Waits until the group has committed its cluster identity (data requests are refused before that). */
  public void awaitIdentity(Duration timeout) {
    Awaitility.await("the cluster identity committed").atMost(timeout).pollInterval(Duration.ofMillis(500))
        .until(() -> nodes.stream().anyMatch(n -> n.identity().isPresent()));
  }

  /**
   * Waits until every node has applied at least the highest commit index any node reported a moment
   * before: under continuing load "applied = commit" would never hold at a single instant. On a timeout the
   * error carries what each node last said, because a run on a CI machine leaves nothing else to read.
   */
  public void awaitConverged(Duration timeout) {
    // Written by Awaitility's poll thread, which may still be polling when the timeout reaches this one.
    Map<String, String> lastSeen = new ConcurrentSkipListMap<>();
    Set<String> silent = ConcurrentHashMap.newKeySet(); // no status in the last poll
    try {
      Awaitility.await("every node caught up").atMost(timeout).pollInterval(Duration.ofMillis(500)).until(() -> {
        long target = 0;
        for (NodeContainer n : nodes) {
          NodeContainer.StatusAnswer answer = n.statusAnswer();
          Optional<StatusResult> s = answer.status();
          lastSeen.put(n.id(), s.map(ContainerCluster::describe).orElse("no status answer (" + answer.failure() + ")"));
          if (s.isPresent()) {
            silent.remove(n.id());
          } else {
            silent.add(n.id());
          }
          target = Math.max(target, s.map(StatusResult::getCommitIndex).orElse(0L));
        }
        if (!silent.isEmpty()) {
          return false;
        }
        boolean caughtUp = true;
        for (NodeContainer n : nodes) {
          long applied = n.status().map(StatusResult::getAppliedIndex).orElse(-1L);
          lastSeen.merge(n.id(), " | then applied " + applied + " of target " + target, String::concat);
          caughtUp &= applied >= target;
        }
        return caughtUp;
      });
    } catch (ConditionTimeoutException e) {
      StringBuilder b = new StringBuilder("not every node caught up within " + timeout + "; last seen:");
      lastSeen.forEach((id, seen) -> b.append("\n  ").append(id).append(": ").append(seen));
      for (NodeContainer n : nodes) {
        // A node that did not answer its status: the threads that answer it (raft-replies) say why.
        boolean answered = !silent.contains(n.id());
        b.append("\n  ").append(n.id()).append(answered ? "'s apply threads:" : "'s apply and raft-replies threads:");
        n.threadDump().ifPresentOrElse(dump -> {
          List<String> stacks = new ArrayList<>(ThreadDump.stacks(dump, ThreadDump.APPLY_THREADS));
          if (!answered) {
            stacks.addAll(ThreadDump.stacks(dump, ThreadDump.REPLY_THREADS));
          }
          stacks.forEach(l -> b.append("\n    ").append(l));
        }, () -> b.append(" no thread dump"));
      }
      throw new IllegalStateException(b.toString(), e);
    }
  }

  /** One line of a node's status: its Raft position and, from a leader, each member's match index. */
  static String describe(StatusResult s) {
    StringBuilder b = new StringBuilder()
        .append(s.getRole()).append(" term ").append(s.getTerm()).append(" leader ").append(s.getLeaderId())
        .append(" commit ").append(s.getCommitIndex()).append(" applied ").append(s.getAppliedIndex())
        .append(" lastLog ").append(s.getLastLogIndex()).append(" snapshot ").append(s.getLastSnapshotIndex());
    if (!s.getInConfiguration()) {
      b.append(" (not in configuration)");
    }
    for (Member m : s.getMembersList()) {
      if (m.hasMatchIndex()) {
        b.append(" ").append(m.getId()).append(":match=").append(m.getMatchIndex())
            .append("/").append(m.getLastResponseMs()).append("ms");
      }
    }
    return b.toString();
  }

  /**
   * Creates the container of a node that is not yet a member (ds4, ds5): it starts with the member list
   * plus itself. Adding it to the group is the membership command's job.
   */
  public NodeContainer createJoiningNode() {
    if (!canAddNode()) {
      throw new IllegalStateException("at most " + MAX_NODES + " nodes per run");
    }
    // Numbered by creation, never by the current count: a retired node's container keeps its name.
    String id = "ds" + (created + 1);
    members.add(id);
    NodeContainer node = createNode(id);
    joinOnNextStart(node);
    return node;
  }

  /** From its next start on, the node runs `serve --join`: an empty node waits to be added. */
  public void joinOnNextStart(NodeContainer node) {
    write(dir.resolve("nodes").resolve(node.id()).resolve(ChaosImages.SERVE_FLAGS), "--join\n");
  }

  /** The node as add-node/replace-node take it, the same as its Datastore-Peer line. */
  public String peerSpec(NodeContainer node) {
    String a = address(node.id());
    return node.id() + "," + route.raftAddress(node.id(), a, network) + "," + a + ":" + NodeContainer.CLIENT_PORT;
  }

  /** Takes a node that left the group (membership change) out of the cluster and stops it. */
  public void retire(NodeContainer node) {
    node.stop();
    nodes.remove(node);
    members.remove(node.id());
  }

  /** Whether another node can join this run: node numbers (and their addresses) are never reused. */
  public boolean canAddNode() {
    return created < MAX_NODES;
  }

  private NodeContainer createNode(String id) {
    created++;
    Path nodeDir = dir.resolve("nodes").resolve(id);
    write(nodeDir.resolve("node.conf"), nodeConfig(id));
    ChaosContainer container = new ChaosContainer(run, id, ChaosImages.node(projectRoot), network,
        address(id), nodeDir, secrets.dir());
    NodeContainer node = new NodeContainer(id, container, secrets);
    nodes.add(node);
    return node;
  }

  private String nodeConfig(String id) {
    StringBuilder conf = new StringBuilder("[Global]\n")
        .append("Datastore-Node-Id=").append(id).append('\n');
    for (String m : members) {
      String a = address(m);
      conf.append("Datastore-Peer=").append(m).append(',').append(route.raftAddress(m, a, network)).append(',')
          .append(a).append(':').append(NodeContainer.CLIENT_PORT).append('\n');
    }
    return conf.append("Control-Auth=").append(secrets.secret()).append('\n')
        .append("Certificate-File=").append(tls("cert.pem")).append('\n')
        .append("Key-File=").append(tls("key.pem")).append('\n')
        // Explicit: without it a node listens on its peer address' port, which is the proxy's in latency runs.
        .append("Datastore-Raft-Port=").append(NodeContainer.RAFT_PORT).append('\n')
        .append("Datastore-Data-Dir=").append(NodeContainer.runPath("data")).append('\n')
        // Small enough that a wiped node catches up through a snapshot within one run.
        .append("Datastore-Snapshot-Threshold=500\n")
        .append("Datastore-Request-Timeout=4s\n")
        .append("Log-File=").append(NodeContainer.runPath("node.log")).append('\n')
        // Ratis decides elections, membership and a division's closing at INFO: a failed run needs them.
        .append("Log-Raft-Level=INFO\n")
        .toString();
  }

  /** Starts a reference webserver pointed at every node, and waits until its API answers. */
  public WebserverContainer startWebserver() {
    int n = webservers.size() + 1;
    String name = "web" + n;
    String uuid = new UUID(random.nextLong(), random.nextLong()).toString();
    Path webDir = dir.resolve("webservers").resolve(name);
    String address = network.address(FIRST_WEBSERVER + n - 1);
    List<String> endpoints = members.stream().map(m -> address(m) + ":" + NodeContainer.CLIENT_PORT).toList();
    write(webDir.resolve("webserver.conf"), "[Global]\n"
        + "Datastore=" + String.join(",", endpoints) + "\n"
        + "Control-Auth=" + secrets.secret() + "\n"
        + "Datastore-CA-File=" + tls("cert.pem") + "\n"
        + "Webserver-UUID=" + uuid + "\n"
        + "External-Addr=" + address + ":" + WebserverContainer.WEB_PORT + "\n"
        + "Web-Listen-Address=0.0.0.0\n"
        + "Web-Port=" + WebserverContainer.WEB_PORT + "\n"
        + "Webserver-Data-Dir=" + NodeContainer.runPath("data") + "\n"
        + "Datastore-Update-Interval=" + updateInterval.toMillis() + "ms\n");
    ChaosContainer container = new ChaosContainer(run, name, ChaosImages.webserver(projectRoot), network,
        address, webDir, secrets.dir());
    WebserverContainer web = new WebserverContainer(name, uuid, container);
    webservers.add(web);
    container.start();
    return web;
  }

  public Duration updateInterval() {
    return updateInterval;
  }

  public Path dir() {
    return dir;
  }

  private static String tls(String file) {
    return ChaosImages.TLS_DIR + "/" + file;
  }

  private static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (java.util.stream.Stream<Path> all = Files.walk(root)) {
      for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot clear " + root + " for a new run", e);
    }
  }

  private static void write(Path file, String content) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Removes the containers and the network; logs stay in the run directory. */
  @Override
  public void close() {
    webservers.forEach(w -> w.container().remove());
    nodes.forEach(n -> n.container().remove());
    network.close();
  }
}
