package io.gravwell.datastore.node.cluster;

import static io.gravwell.datastore.node.cluster.Requests.get;
import static io.gravwell.datastore.node.cluster.Requests.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.gravwell.datastore.node.DatastoreNode;
import io.gravwell.datastore.node.config.NodeConfig;
import io.gravwell.datastore.node.config.PeerSpec;
import io.gravwell.datastore.node.raft.PeerTls;
import io.gravwell.datastore.node.raft.RaftStatus;
import io.gravwell.datastore.protocol.client.DatastoreConnection;
import io.gravwell.datastore.protocol.tls.CertificateAuthority;
import io.gravwell.datastore.protocol.tls.TlsFiles;
import io.gravwell.datastore.protocol.v1.Outcome;
import io.gravwell.datastore.protocol.v1.Response;
import java.io.IOException;
import java.math.BigInteger;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.GroupInfoReply;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.thirdparty.io.grpc.StatusRuntimeException;
import org.apache.ratis.util.TimeDuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutual TLS between nodes: only certificates from the cluster's CA can speak Raft, a node with a
 * certificate from another CA can neither join nor disturb the group, and certificates (even the CA) can
 * be replaced by rolling restarts while writes go on.
 */
class PeerTlsTest {
  @TempDir
  Path dir;

  @Test
  void onlyCertificatesOfTheClusterCaCanSpeakRaft() throws Exception {
    try (LocalCluster cluster = LocalCluster.builder(dir.resolve("cluster")).start()) {
      cluster.awaitLeader();
      CertificateAuthority foreign = CertificateAuthority.create(dir.resolve("foreign-ca.crt"),
          dir.resolve("foreign-ca.key"), "someone else's CA", Duration.ofDays(1));
      PeerTls trusted = outsider(cluster.certificateAuthority(), cluster, "trusted");
      PeerTls stranger = outsider(foreign, cluster, "stranger");

      // The same request, the same trust in the cluster's CA: only the certificate differs.
      assertThat(groupInfo(cluster, trusted).getGroup().getPeers()).hasSize(3);
      assertThatThrownBy(() -> groupInfo(cluster, stranger)).hasMessageContaining("ssl");
      assertThatThrownBy(() -> groupInfo(cluster, null)).as("plain text")
          .isInstanceOfAny(IOException.class, StatusRuntimeException.class);
    }
  }

  @Test
  void aNodeWithAForeignCertificateCannotJoinOrDisturbTheGroup() throws Exception {
    try (LocalCluster cluster = LocalCluster.builder(dir.resolve("cluster")).start()) {
      writeAll(cluster, cluster.awaitLeader(), "before", 10);

      // The rogue holds a certificate from another CA, trusts both CAs (so nothing stops it on its own
      // side), lists itself with the three members and asks to be added with a trusted admin client.
      CertificateAuthority foreign = CertificateAuthority.create(dir.resolve("foreign-ca.crt"),
          dir.resolve("foreign-ca.key"), "someone else's CA", Duration.ofDays(1));
      Path bundle = dir.resolve("both-cas.crt");
      Files.writeString(bundle, Files.readString(cluster.certificate()) + Files.readString(dir.resolve("foreign-ca.crt")));
      foreign.issue(dir.resolve("rogue.crt"), dir.resolve("rogue.key"), List.of("n4"), Duration.ofDays(1));
      PeerSpec rogueSpec = PeerSpec.parse("n4,127.0.0.1:" + freePort() + ",127.0.0.1:" + freePort());
      try (DatastoreNode rogue = DatastoreNode.start(rogueConfig(cluster, rogueSpec, bundle))) {
        CompletableFuture<RaftClientReply> join;
        try (RaftClient admin = raftClient(cluster, outsider(cluster.certificateAuthority(), cluster, "admin"))) {
          List<RaftPeer> withRogue = new ArrayList<>(group(cluster).getPeers());
          withRogue.add(RaftPeer.newBuilder().setId("n4").setAddress(rogueSpec.raft().toString()).build());
          join = CompletableFuture.supplyAsync(() -> {
            try {
              return admin.admin().setConfiguration(withRogue);
            } catch (IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          });

          // While the rogue tries, the group goes on committing writes.
          for (int round = 0; round < 5; round++) {
            writeAll(cluster, cluster.awaitLeader(), "during-" + round, 10);
          }
          RaftStatus rogueStatus = rogue.raft().status();
          assertThat(rogueStatus.role()).isNotEqualTo("LEADER");
          assertThat(rogueStatus.leaderId()).as("leader the rogue knows of").isEmpty();
          assertThat(rogueStatus.commitIndex()).as("entries appended on the rogue").isLessThanOrEqualTo(0);
          assertThat(rogue.stateMachine().hasIdentity()).as("cluster identity reached the rogue").isFalse();
          for (int i = 0; i < 3; i++) {
            RaftStatus s = cluster.node(i).raft().status();
            assertThat(s.members()).extracting(RaftStatus.MemberInfo::id).containsExactlyInAnyOrder("n1", "n2", "n3");
            assertThat(s.leaderId()).isNotEqualTo("n4");
          }
          // A member admitted with the rogue's certificate would catch up and be in the configuration
          // within seconds; this one never is, because the leader cannot replicate to it.
          await().during(10, TimeUnit.SECONDS).atMost(20, TimeUnit.SECONDS).until(() ->
              cluster.node(cluster.awaitLeader()).raft().status().members().stream().noneMatch(m -> m.id().equals("n4")));
          assertThat(join.isDone() && !join.isCompletedExceptionally() && join.join().isSuccess())
              .as("the rogue was added").isFalse();
        }
      }
      writeAll(cluster, cluster.awaitLeader(), "after", 10);
    }
  }

  @Test
  void aCaRolloverByRollingRestartsLosesNoAcknowledgedWrite() throws Exception {
    try (LocalCluster cluster = LocalCluster.builder(dir.resolve("cluster")).start()) {
      cluster.awaitLeader();
      Path caFile = cluster.certificate();
      String oldCa = Files.readString(caFile);
      CertificateAuthority next = CertificateAuthority.create(dir.resolve("next-ca.crt"), dir.resolve("next-ca.key"),
          "next CA", Duration.ofDays(1));
      String newCa = Files.readString(dir.resolve("next-ca.crt"));
      BigInteger firstSerial = TlsFiles.readCertificates(cluster.certificateFile(0)).get(0).getSerialNumber();

      Set<String> acked = ConcurrentHashMap.newKeySet();
      AtomicBoolean running = new AtomicBoolean(true);
      Thread writer = writer(cluster, acked, running);
      writer.start();
      try {
        // 1. Every node learns to trust both CAs.
        Files.writeString(caFile, oldCa + newCa);
        rollingRestart(cluster, acked, i -> {});
        // 2. Every node gets a certificate from the new CA; old and new certificates meet in between.
        rollingRestart(cluster, acked, i -> cluster.issueCertificate(i, next));
        // 3. The old CA is no longer trusted.
        Files.writeString(caFile, newCa);
        rollingRestart(cluster, acked, i -> {});
      } finally {
        running.set(false);
        writer.join(30_000);
      }

      assertThat(TlsFiles.readCertificates(cluster.certificateFile(0)).get(0).getSerialNumber()).isNotEqualTo(firstSerial);
      assertThat(TlsFiles.readCertificates(cluster.certificateFile(0)).get(0).getIssuerX500Principal())
          .isEqualTo(next.certificate().getSubjectX500Principal());
      int leader = cluster.awaitLeader();
      try (DatastoreConnection c = cluster.connect(leader)) {
        for (String id : acked) {
          assertThat(c.call(get("session", id)).join().getGet().getFound()).as("acknowledged write %s", id).isTrue();
        }
      }
      // The old CA's certificates are now refused.
      assertThatThrownBy(() -> groupInfo(cluster, outsider(cluster.certificateAuthority(), cluster, "old")))
          .hasMessageContaining("ssl");
    }
  }

  private interface NodeStep {
    void apply(int node) throws Exception;
  }

  /** Each node in turn: stop, change its files, start, wait until it is back and writes are acknowledged. */
  private static void rollingRestart(LocalCluster cluster, Set<String> acked, NodeStep change) throws Exception {
    for (int i = 0; i < cluster.size(); i++) {
      cluster.stop(i);
      change.apply(i);
      cluster.start(i);
      int node = i;
      await().atMost(60, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(100))
          .until(() -> cluster.node(node).stateMachine().hasIdentity());
      int before = acked.size();
      await().atMost(60, TimeUnit.SECONDS).until(() -> acked.size() >= before + 5);
    }
  }

  private static Thread writer(LocalCluster cluster, Set<String> acked, AtomicBoolean running) {
    AtomicInteger counter = new AtomicInteger();
    return new Thread(() -> {
      while (running.get()) {
        int leader = cluster.currentLeader().orElse(0);
        try (DatastoreConnection c = cluster.connect(leader)) {
          while (running.get() && cluster.isRunning(leader)) {
            String id = "k" + counter.incrementAndGet();
            Response r = c.send(put("session", id, id)).get(15, TimeUnit.SECONDS);
            if (!r.hasError() && r.getWrite().getResults(0).getOutcome() == Outcome.APPLIED) {
              acked.add(id);
            }
          }
        } catch (Exception e) {
          // node stopped or unreachable: unknown outcome, neither acked nor lost; try the next leader
        }
      }
    }, "rolling-writer");
  }

  private static void writeAll(LocalCluster cluster, int node, String prefix, int count) {
    try (DatastoreConnection c = cluster.connect(node)) {
      for (int k = 0; k < count; k++) {
        Response r = c.call(put("session", prefix + k, "v")).join();
        assertThat(r.getWrite().getResults(0).getOutcome()).as("write %s%d", prefix, k).isEqualTo(Outcome.APPLIED);
      }
    }
  }

  /** A certificate for a host that is not a member, issued by {@code issuer}, trusting the cluster's CA. */
  private PeerTls outsider(CertificateAuthority issuer, LocalCluster cluster, String name) {
    Path cert = dir.resolve(name + ".crt");
    Path key = dir.resolve(name + ".key");
    issuer.issue(cert, key, List.of(name), Duration.ofDays(1));
    return PeerTls.of(TlsFiles.readCertificates(cert), TlsFiles.readPrivateKey(key),
        TlsFiles.readCertificates(cluster.certificate()));
  }

  private static GroupInfoReply groupInfo(LocalCluster cluster, PeerTls tls) throws IOException {
    try (RaftClient client = raftClient(cluster, tls)) {
      return client.getGroupManagementApi(RaftPeerId.valueOf("n1")).info(group(cluster).getGroupId());
    }
  }

  private static RaftClient raftClient(LocalCluster cluster, PeerTls tls) {
    RaftProperties properties = new RaftProperties();
    RaftClientConfigKeys.Rpc.setRequestTimeout(properties, TimeDuration.valueOf(3, TimeUnit.SECONDS));
    return RaftClient.newBuilder()
        .setRaftGroup(group(cluster))
        .setProperties(properties)
        .setParameters(PeerTls.parameters(tls))
        .setRetryPolicy(RetryPolicies.noRetry())
        .build();
  }

  private static RaftGroup group(LocalCluster cluster) {
    NodeConfig config = cluster.config(0);
    List<RaftPeer> peers = config.peers().stream()
        .map(p -> RaftPeer.newBuilder().setId(p.id()).setAddress(p.raft().toString()).build())
        .toList();
    return RaftGroup.valueOf(RaftGroupId.valueOf(config.raftGroupId()), peers);
  }

  private NodeConfig rogueConfig(LocalCluster cluster, PeerSpec rogue, Path trustBundle) throws IOException {
    StringBuilder text = new StringBuilder("[Global]\nDatastore-Node-Id=n4\n");
    for (PeerSpec p : cluster.config(0).peers()) {
      text.append("Datastore-Peer=").append(p).append('\n');
    }
    text.append("Datastore-Peer=").append(rogue).append('\n')
        .append("Datastore-Listen-Address=127.0.0.1\nDatastore-Raft-Listen-Address=127.0.0.1\n")
        .append("Datastore-Port=").append(rogue.client().port()).append('\n')
        .append("Datastore-Metrics-Listen-Address=127.0.0.1\nDatastore-Metrics-Port=").append(freePort()).append('\n')
        .append("Datastore-Data-Dir=").append(dir.resolve("rogue-data")).append('\n')
        .append("Control-Auth=").append(LocalCluster.SECRET).append('\n')
        .append("Certificate-File=").append(dir.resolve("rogue.crt")).append('\n')
        .append("Key-File=").append(dir.resolve("rogue.key")).append('\n')
        .append("Raft-CA-File=").append(trustBundle).append('\n');
    return NodeConfig.parse(text.toString(), "rogue.conf", Map.of());
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
