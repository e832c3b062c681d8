package io.gravwell.datastore.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runbook's "Install a 3-node cluster", with the files of the built .deb: a cluster CA and one
 * certificate per node from the packaged `datastore gencert`, three configs made from the packaged
 * datastore.conf, three nodes started with the packaged launcher (as the systemd unit starts them), then
 * `datastore status`, `put` on one node and `get` on another. All three nodes run on this host, so each
 * gets its own ports and data directory. Then the class-data archive the unit configures: each node records
 * one at its clean stop and maps it at the next start, and a damaged one is discarded instead of crashing
 * the node.
 */
@Tag("package")
class ThreeNodeInstallPackageTest {
  private static final String[] NODES = {"ds1", "ds2", "ds3"};

  @TempDir
  Path dir;

  private final List<Process> nodes = new ArrayList<>();
  private int starts;

  @AfterEach
  void stopNodes() throws InterruptedException {
    for (Process p : nodes) {
      p.destroy();
    }
    for (Process p : nodes) {
      // A node recording its class-data archive writes it on the way out: 10-20 s here, three at once.
      if (!p.waitFor(90, java.util.concurrent.TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
    nodes.clear();
  }

  @Test
  void threeNodesFromThePackageFormAClusterOverPeerTls() throws Exception {
    Path root = dir.resolve("root");
    assertThat(Shell.run(List.of("dpkg-deb", "-x", DebPackageTest.DEB.toString(), root.toString())).exitCode()).isZero();
    String datastore = root.resolve("opt/gravwell/bin/datastore").toString();
    Path etc = dir.resolve("etc");

    ok(datastore, "gencert", "--ca", "--cert", etc.resolve("datastore-ca.pem").toString(),
        "--key", etc.resolve("datastore-ca-key.pem").toString());
    int[][] ports = freePorts(NODES.length, 3);
    StringBuilder peers = new StringBuilder();
    for (int i = 0; i < NODES.length; i++) {
      ok(datastore, "gencert", "--ca-cert", etc.resolve("datastore-ca.pem").toString(),
          "--ca-key", etc.resolve("datastore-ca-key.pem").toString(), "--host", "127.0.0.1",
          "--cert", etc.resolve(NODES[i] + "-cert.pem").toString(), "--key", etc.resolve(NODES[i] + "-key.pem").toString());
      peers.append("Datastore-Peer=").append(NODES[i]).append(",127.0.0.1:").append(ports[i][1])
          .append(",127.0.0.1:").append(ports[i][0]).append('\n');
    }
    String packaged = Files.readString(root.resolve("opt/gravwell/etc/datastore.conf"));
    for (int i = 0; i < NODES.length; i++) {
      String conf = packaged
          .replace("Datastore-Node-Id=ds1", "Datastore-Node-Id=" + NODES[i])
          .replaceAll("(?m)^Datastore-Peer=.*\\n", "")
          .replace("Control-Auth=change-me", "Control-Auth=install-test-secret\n" + peers)
          .replace("/opt/gravwell/etc/datastore-cert.pem", etc.resolve(NODES[i] + "-cert.pem").toString())
          .replace("/opt/gravwell/etc/datastore-key.pem", etc.resolve(NODES[i] + "-key.pem").toString())
          .replace("/opt/gravwell/etc/datastore-ca.pem", etc.resolve("datastore-ca.pem").toString())
          + "Datastore-Listen-Address=127.0.0.1\nDatastore-Raft-Listen-Address=127.0.0.1\n"
          + "Datastore-Metrics-Listen-Address=127.0.0.1\n"
          + "Datastore-Port=" + ports[i][0] + "\nDatastore-Raft-Port=" + ports[i][1] + "\n"
          + "Datastore-Metrics-Port=" + ports[i][2] + "\n"
          + "Datastore-Data-Dir=" + dir.resolve("data/" + NODES[i]) + "\n";
      Files.writeString(etc.resolve(NODES[i] + ".conf"), conf);
    }
    startNodes(datastore, etc);
    ok(datastore, "put", "-c", etc.resolve("ds1.conf").toString(), "dashboard", "d1", "installed from the package");
    assertReads(datastore, etc.resolve("ds3.conf"), "d1", "installed from the package");
    assertThat(log("ds1")).contains("requires peer TLS on the Raft port",
        "no class-data archive yet; this node records one in " + dir.resolve("cds/ds1"));

    stopNodes();
    for (String node : NODES) {
      assertThat(recordings(node)).as("the archive %s recorded at its clean stop%s", node, logs()).hasSize(1);
    }
    // Half an archive (a full disk, a bad copy) makes the JVM that maps it die of SIGBUS.
    Path damaged = recordings("ds3").get(0);
    damaged.toFile().setWritable(true);
    try (var channel = java.nio.channels.FileChannel.open(damaged, java.nio.file.StandardOpenOption.WRITE)) {
      channel.truncate(Files.size(damaged) / 2);
    }

    startNodes(datastore, etc);
    assertThat(log("ds1")).containsPattern("using the class-data archive .*/cds/ds1/datastore-\\d+\\.jsa");
    assertThat(log("ds2")).contains("using the class-data archive");
    assertThat(log("ds3")).contains("discarded the class-data archive", "recording a new one");
    assertReads(datastore, etc.resolve("ds2.conf"), "d1", "installed from the package");
  }

  /** Starts the three nodes with the packaged launcher, as the unit does, and waits for a leader. */
  private void startNodes(String datastore, Path etc) throws IOException {
    starts++;
    for (String node : NODES) {
      ProcessBuilder pb = new ProcessBuilder(datastore, "serve", "-c", etc.resolve(node + ".conf").toString())
          .redirectErrorStream(true)
          .redirectOutput(dir.resolve(node + "-" + starts + ".log").toFile());
      pb.environment().put("JAVA_OPTS", "-Xmx256m");
      pb.environment().put("DATASTORE_CDS_DIR", dir.resolve("cds/" + node).toString());
      nodes.add(pb.start());
    }
    String ds1 = etc.resolve("ds1.conf").toString();
    await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
      assertThat(nodes).as(this::logs).allMatch(Process::isAlive);
      Shell status = Shell.run(List.of(datastore, "status", "-c", ds1));
      assertThat(status.exitCode()).as(() -> status.output() + logs()).isZero();
      assertThat(status.output()).containsPattern("leader: +ds[123]").doesNotContain("(not yet committed)");
    });
  }

  private static void assertReads(String datastore, Path conf, String key, String value) {
    Shell get = Shell.run(List.of(datastore, "get", "-c", conf.toString(), "dashboard", key));
    assertThat(get.exitCode()).as(get.output()).isZero();
    assertThat(get.output()).contains(value);
  }

  private List<Path> recordings(String node) throws IOException {
    try (var files = Files.list(dir.resolve("cds/" + node))) {
      return files.filter(f -> f.getFileName().toString().contains(".jsa.rec-")).toList();
    }
  }

  private String log(String node) throws IOException {
    return Files.readString(dir.resolve(node + "-" + starts + ".log"));
  }

  /** The nodes' own output, for a failure message. */
  private String logs() {
    StringBuilder out = new StringBuilder();
    for (String node : NODES) {
      try {
        String log = log(node);
        out.append("\n--- ").append(node).append(".log (end) ---\n").append(log.substring(Math.max(0, log.length() - 3000)));
      } catch (IOException e) {
        out.append("\n--- ").append(node).append(".log: ").append(e);
      }
    }
    return out.toString();
  }

  private static void ok(String... command) {
    Shell r = Shell.run(List.of(command), Map.of("JAVA_OPTS", "-Xmx128m"));
    assertThat(r.exitCode()).as(String.join(" ", command) + "\n" + r.output()).isZero();
  }

  /** Distinct free ports: all sockets stay open until every port is chosen, so none is handed out twice. */
  private static int[][] freePorts(int rows, int columns) throws IOException {
    List<ServerSocket> held = new ArrayList<>();
    try {
      int[][] ports = new int[rows][columns];
      for (int[] row : ports) {
        for (int k = 0; k < columns; k++) {
          ServerSocket s = new ServerSocket(0);
          held.add(s);
          row[k] = s.getLocalPort();
        }
      }
      return ports;
    } finally {
      for (ServerSocket s : held) {
        s.close();
      }
    }
  }
}
