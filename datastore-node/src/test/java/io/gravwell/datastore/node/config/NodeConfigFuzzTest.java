package io.gravwell.datastore.node.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Map;

/** Arbitrary datastore.conf content: a usable config or a ConfigException naming file and line. */
class NodeConfigFuzzTest {

  @FuzzTest
  void configFile(byte[] content) {
    ConfigFileFuzzing.loadsOrNamesTheProblem(content, file -> NodeConfig.load(file, Map.of()),
        NodeConfigFuzzTest::useLikeTheNode);
  }

  /** What DatastoreNode.start reads, converted the way it converts them. */
  private static void useLikeTheNode(NodeConfig c) {
    assertThat(c.peers()).contains(c.self());
    assertThat(c.nodeId()).isEqualTo(c.self().id());
    c.listenAddress();
    c.raftListenAddress();
    c.metricsListenAddress();
    assertThat(c.port()).isPositive();
    assertThat(c.raftPort()).isPositive();
    assertThat(c.metricsPort()).isPositive();
    c.dataDir().resolve("raft");
    c.controlAuth();
    if (!c.tlsDisabled()) {
      assertThat(c.certificateFile()).isPresent();
      assertThat(c.keyFile()).isPresent();
    }
    c.raftGroupId();
    assertThat(c.snapshotThreshold()).isPositive();
    assertThat(c.tombstoneRetention().toMillis()).isPositive();
    assertThat(c.compactionInterval().toMillis()).isPositive();
    assertThat(c.webserverExpiry().toMillis()).isPositive();
    assertThat(c.requestTimeout().toMillis()).isPositive();
    assertThat(c.maxFrameSize()).isGreaterThan(c.maxEntrySize());
    c.logLevel();
    c.logFile();
    c.toString();
  }
}
