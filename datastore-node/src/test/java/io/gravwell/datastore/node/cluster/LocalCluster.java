package io.gravwell.datastore.node.cluster;

import static org.awaitility.Awaitility.await;

import io.gravwell.datastore.node.DatastoreNode;
import io.gravwell.datastore.node.config.NodeConfig;
import io.gravwell.datastore.protocol.tls.CertificateAuthority;
import io.gravwell.datastore.protocol.tls.SslContexts;
import io.gravwell.datastore.protocol.client.ConnectionOptions;
import io.gravwell.datastore.protocol.client.DatastoreConnection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A real N-node cluster in this JVM: real RaftServers on loopback gRPC with mutual peer TLS, real Netty
 * client ports with TLS, real Xodus on disk under one directory. One test CA signs every node's
 * certificate (used for both ports); clients trust that CA. Nodes can be stopped and started again on the
 * same data.
 */
public final class LocalCluster implements AutoCloseable {
  public static final String SECRET = "local-cluster-secret";

  private final Path root;
  // Slots: the founding members first, then nodes added later (addSlot). A slot keeps its id for life.
  private int size;
  private final Map<String, String> extraKeys;
  private final Map<String, String> raftOverrides;
  private final List<Integer> raftPorts = new ArrayList<>();
  private final List<Integer> clientPorts = new ArrayList<>();
  private final List<Integer> metricsPorts = new ArrayList<>();
  private final List<DatastoreNode> nodes = new ArrayList<>();
  private final Path caCert;
  private CertificateAuthority ca;

  private LocalCluster(Path root, int size, Map<String, String> extraKeys, Map<String, String> raftOverrides) {
    this.root = root;
    this.size = size;
    this.extraKeys = extraKeys;
    this.raftOverrides = raftOverrides;
    this.caCert = root.resolve("ca.crt");
  }

  public static Builder builder(Path root) {
    return new Builder(root);
  }

  public static final class Builder {
    private final Path root;
    private int size = 3;
    private final Map<String, String> extraKeys = new HashMap<>();
    private final Map<String, String> raftOverrides = new HashMap<>();

    private Builder(Path root) {
      this.root = root;
    }

    public Builder size(int n) {
      this.size = n;
      return this;
    }

    /** An extra gravwell.conf key for every node, e.g. Datastore-Snapshot-Threshold. */
    public Builder key(String name, String value) {
      extraKeys.put(name, value);
      return this;
    }

    /** A raw Ratis property, e.g. a tiny log segment size so that purging happens in a test. */
    public Builder raft(String name, String value) {
      raftOverrides.put(name, value);
      return this;
    }

    public LocalCluster start() {
      LocalCluster c = new LocalCluster(root, size, Map.copyOf(extraKeys), Map.copyOf(raftOverrides));
      c.init();
      return c;
    }
  }

  private void init() {
    try {
      Files.createDirectories(root);
      ca = CertificateAuthority.create(caCert, root.resolve("ca.key"), "local cluster CA", Duration.ofDays(2));
      for (int i = 0; i < size; i++) {
        issueCertificate(i);
        raftPorts.add(freePort());
        clientPorts.add(freePort());
        metricsPorts.add(freePortBelowEphemeralRange());
        nodes.add(null);
      }
      for (int i = 0; i < size; i++) {
        start(i);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String nodeId(int i) {
    return "n" + (i + 1);
  }

  public NodeConfig config(int i) {
    return NodeConfig.parse(configText(i), nodeId(i) + ".conf", Map.of());
  }

  /** Writes node i's config to a file, for the command line; returns its path. */
  public Path writeConfig(int i) {
    Path file = root.resolve(nodeId(i) + ".conf");
    try {
      Files.writeString(file, configText(i));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  /** Node i's certificate chain (leaf, then the CA), used on its client and Raft ports. */
  public Path certificateFile(int i) {
    return root.resolve(nodeId(i) + ".crt");
  }

  public Path keyFile(int i) {
    return root.resolve(nodeId(i) + ".key");
  }

  /** A new key and certificate for node i from the cluster's CA; a running node uses it after a restart. */
  public void issueCertificate(int i) {
    issueCertificate(i, ca);
  }

  /** As {@link #issueCertificate(int)} from another CA, e.g. the next one during a CA rollover. */
  public void issueCertificate(int i, CertificateAuthority authority) {
    authority.issue(certificateFile(i), keyFile(i), List.of(nodeId(i)), Duration.ofDays(2));
  }

  public CertificateAuthority certificateAuthority() {
    return ca;
  }

  public String clientAddress(int i) {
    return "127.0.0.1:" + clientPorts.get(i);
  }

  private String configText(int i) {
    StringBuilder text = new StringBuilder("[Global]\n");
    text.append("Datastore-Node-Id=").append(nodeId(i)).append('\n');
    for (int p = 0; p < size; p++) {
      text.append("Datastore-Peer=").append(peerSpec(p)).append('\n');
    }
    text.append("Datastore-Listen-Address=127.0.0.1\n");
    text.append("Datastore-Port=").append(clientPorts.get(i)).append('\n');
    text.append("Datastore-Raft-Listen-Address=127.0.0.1\n");
    text.append("Datastore-Raft-Port=").append(raftPorts.get(i)).append('\n');
    // Every node needs its own /metrics port: they all bind on one host.
    text.append("Datastore-Metrics-Listen-Address=127.0.0.1\n");
    text.append("Datastore-Metrics-Port=").append(metricsPorts.get(i)).append('\n');
    text.append("Datastore-Data-Dir=").append(dataDir(i)).append('\n');
    text.append("Control-Auth=").append(SECRET).append('\n');
    text.append("Certificate-File=").append(certificateFile(i)).append('\n');
    text.append("Key-File=").append(keyFile(i)).append('\n');
    text.append("Raft-CA-File=").append(caCert).append('\n');
    extraKeys.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
    return text.toString();
  }

  public Path dataDir(int i) {
    return root.resolve(nodeId(i));
  }

  /** Node i as a Datastore-Peer line / add-node argument: ID,RAFT_HOST:PORT,CLIENT_HOST:PORT. */
  public String peerSpec(int i) {
    return nodeId(i) + ",127.0.0.1:" + raftPorts.get(i) + ",127.0.0.1:" + clientPorts.get(i);
  }

  /** A new slot (ports allocated, not started): start it with {@link #startJoining(int)}, then add it. */
  public int addSlot() {
    issueCertificate(size);
    try {
      raftPorts.add(freePort());
      clientPorts.add(freePort());
      metricsPorts.add(freePortBelowEphemeralRange());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    nodes.add(null);
    return size++;
  }

  /** Gives stopped node i new Raft and client ports: the same node moved to a new address. */
  public void moveToNewAddress(int i) {
    if (nodes.get(i) != null) {
      throw new IllegalStateException(nodeId(i) + " is running");
    }
    try {
      raftPorts.set(i, freePort());
      clientPorts.set(i, freePort());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Deletes stopped node i's data directory: a lost disk. */
  public void wipe(int i) {
    if (nodes.get(i) != null) {
      throw new IllegalStateException(nodeId(i) + " is running");
    }
    try (var files = Files.walk(dataDir(i))) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (java.nio.file.NoSuchFileException absent) {
      // nothing to wipe
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void start(int i) {
    start(i, false);
  }

  /** Starts node i in join mode (`serve --join`): with an empty data directory it waits to be added. */
  public void startJoining(int i) {
    start(i, true);
  }

  private void start(int i, boolean join) {
    if (nodes.get(i) != null) {
      throw new IllegalStateException(nodeId(i) + " is running");
    }
    try {
      nodes.set(i, DatastoreNode.start(config(i),
          DatastoreNode.defaults().withRaftOverrides(raftOverrides).withJoin(join)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public void stop(int i) {
    DatastoreNode n = nodes.get(i);
    nodes.set(i, null);
    if (n != null) {
      n.close();
    }
  }

  public DatastoreNode node(int i) {
    if (nodes.get(i) == null) {
      throw new IllegalStateException(nodeId(i) + " is stopped");
    }
    return nodes.get(i);
  }

  public boolean isRunning(int i) {
    return nodes.get(i) != null;
  }

  public int size() {
    return size;
  }

  /**
   * Waits for a leader that every running member agrees on, and for the cluster identity; returns its
   * index. Nodes outside the configuration (joining, or removed but still running) are not asked.
   */
  public int awaitLeader() {
    int[] leader = new int[1];
    await().atMost(30, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(50)).until(() -> {
      Optional<Integer> l = currentLeader();
      if (l.isEmpty()) {
        return false;
      }
      for (int i = 0; i < size; i++) {
        DatastoreNode n = nodes.get(i);
        if (n == null || !n.raft().status().inConfiguration()) {
          continue;
        }
        if (!n.raft().status().leaderId().equals(nodeId(l.get())) || !n.stateMachine().hasIdentity()) {
          return false;
        }
      }
      leader[0] = l.get();
      return true;
    });
    return leader[0];
  }

  public Optional<Integer> currentLeader() {
    for (int i = 0; i < size; i++) {
      if (nodes.get(i) != null && nodes.get(i).raft().isLeader()) {
        return Optional.of(i);
      }
    }
    return Optional.empty();
  }

  public ConnectionOptions connectionOptions(int i) {
    return ConnectionOptions.of("127.0.0.1", clientPorts.get(i), SslContexts.client(caCert), SECRET, "test-client");
  }

  /** A fresh authenticated connection to node i. */
  public DatastoreConnection connect(int i) {
    try {
      return DatastoreConnection.open(connectionOptions(i)).get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("cannot connect to " + nodeId(i), e);
    }
  }

  public int clientPort(int i) {
    return clientPorts.get(i);
  }

  /** Node i's /metrics and /health port (fixed for the cluster's life, also while the node is stopped). */
  public int metricsPort(int i) {
    return metricsPorts.get(i);
  }

  /**
   * The CA file clients and every node's Raft-CA-File trust (every node's certificate is signed by it);
   * a test may rewrite it, e.g. with a bundle of two CAs.
   */
  public Path certificate() {
    return caCert;
  }

  public String describe() {
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      parts.add(nodeId(i) + (nodes.get(i) == null ? "(stopped)" : "(" + nodes.get(i).raft().status().role() + ")"));
    }
    return parts.stream().collect(Collectors.joining(" "));
  }

  @Override
  public void close() {
    for (int i = 0; i < size; i++) {
      stop(i);
    }
  }

  /**
   * The metrics port binds last, after Raft and the client port have opened outgoing connections, whose
   * ephemeral local ports (Linux: 32768-60999) could take a port {@link #freePort()} just found free. A
   * port below that range cannot be taken that way.
   */
  private static int freePortBelowEphemeralRange() throws IOException {
    java.util.Random random = new java.util.Random();
    for (int attempt = 0; attempt < 100; attempt++) {
      int port = 20_000 + random.nextInt(12_000);
      try (ServerSocket s = new ServerSocket(port)) {
        if (HANDED_OUT.add(port)) {
          return port;
        }
      } catch (IOException taken) {
        // try another
      }
    }
    return freePort();
  }

  // A port is free when asked for but not yet bound by its node: the kernel may offer the same one again
  // (seen in CI: two nodes of one cluster got the same client port), so no port is handed out twice.
  private static final java.util.Set<Integer> HANDED_OUT = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private static int freePort() throws IOException {
    for (int attempt = 0; attempt < 100; attempt++) {
      try (ServerSocket s = new ServerSocket(0)) {
        s.setReuseAddress(true);
        if (HANDED_OUT.add(s.getLocalPort())) {
          return s.getLocalPort();
        }
      }
    }
    throw new IOException("no fresh free port after 100 tries");
  }
}
