package io.gravwell.datastore.node.config;

import io.gravwell.datastore.config.ConfigException;
import io.gravwell.datastore.config.HostAndPort;
import io.gravwell.datastore.config.LogLevel;

import static io.gravwell.datastore.node.config.NodeConfigTestFiles.MINIMAL;
import static io.gravwell.datastore.node.config.NodeConfigTestFiles.SECRET;
import static io.gravwell.datastore.node.config.NodeConfigTestFiles.minimalPlus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeConfigTest {
    private static final Map<String, String> NO_ENV = Map.of();

    private static NodeConfig parse(String text) {
        return NodeConfig.parse(text, "gravwell.conf", NO_ENV);
    }

    @Test
    void defaults() {
        NodeConfig c = parse(MINIMAL);
        assertThat(c.nodeId()).isEqualTo("n1");
        assertThat(c.listenAddress()).isEqualTo("0.0.0.0");
        assertThat(c.port()).isEqualTo(9405);
        assertThat(c.raftListenAddress()).isEqualTo("0.0.0.0");
        assertThat(c.raftPort()).isEqualTo(9406);
        assertThat(c.metricsPort()).isEqualTo(9407);
        assertThat(c.dataDir()).isEqualTo(Path.of("/opt/gravwell/datastore"));
        assertThat(c.tlsDisabled()).isFalse();
        assertThat(c.raftGroupId()).isEqualTo(NodeConfigKeys.DEFAULT_RAFT_GROUP_ID);
        assertThat(c.snapshotThreshold()).isEqualTo(10_000L);
        assertThat(c.electionTimeout()).isEqualTo(Duration.ofMillis(200));
        assertThat(c.tombstoneRetention()).isEqualTo(Duration.ofDays(7));
        assertThat(c.compactionInterval()).isEqualTo(Duration.ofHours(1));
        assertThat(c.maxEntrySize()).isEqualTo(1024 * 1024);
        assertThat(c.maxFrameSize()).isEqualTo(4 * 1024 * 1024);
        assertThat(c.requestTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.logLevel()).isEqualTo(LogLevel.INFO);
        assertThat(c.logRaftLevel()).isEmpty();
        assertThat(c.logFile()).isEmpty();
        assertThat(c.certificateFile()).contains(Path.of("/opt/gravwell/etc/cert.pem"));
        assertThat(c.keyFile()).contains(Path.of("/opt/gravwell/etc/key.pem"));
        assertThat(c.controlAuth().reveal()).isEqualTo(SECRET);
        assertThat(c.config().origin(NodeConfigKeys.DATASTORE_PORT)).isEqualTo("default");
        assertThat(c.config().origin(NodeConfigKeys.CONTROL_AUTH)).isEqualTo("gravwell.conf:6");
    }

    @Test
    void everyKeySet() {
        NodeConfig c = parse(minimalPlus("""
                Datastore-Listen-Address=10.0.0.1
                Datastore-Port=19405
                Datastore-Raft-Listen-Address=[::1]
                Datastore-Raft-Port=19406
                Datastore-Data-Dir=/var/lib/datastore
                Datastore-Insecure-Disable-TLS=no
                Datastore-Raft-Group-Id=123e4567-e89b-12d3-a456-426614174000
                Datastore-Snapshot-Threshold=500
                Datastore-Election-Timeout=1s
                Datastore-Tombstone-Retention=24h
                Datastore-Compaction-Interval=90
                Datastore-Max-Entry-Size=512KiB
                Datastore-Max-Frame-Size=1048576
                Datastore-Request-Timeout=500ms
                Datastore-Metrics-Port=19407
                Log-Level=debug
                Log-Raft-Level=debug
                Log-File=/var/log/datastore.log"""));
        assertThat(c.listenAddress()).isEqualTo("10.0.0.1");
        assertThat(c.port()).isEqualTo(19405);
        assertThat(c.raftListenAddress()).isEqualTo("::1");
        assertThat(c.raftPort()).isEqualTo(19406);
        assertThat(c.dataDir()).isEqualTo(Path.of("/var/lib/datastore"));
        assertThat(c.raftGroupId()).hasToString("123e4567-e89b-12d3-a456-426614174000");
        assertThat(c.snapshotThreshold()).isEqualTo(500);
        assertThat(c.electionTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.tombstoneRetention()).isEqualTo(Duration.ofHours(24));
        assertThat(c.compactionInterval()).isEqualTo(Duration.ofSeconds(90));
        assertThat(c.maxEntrySize()).isEqualTo(512 * 1024);
        assertThat(c.maxFrameSize()).isEqualTo(1024 * 1024);
        assertThat(c.requestTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.metricsPort()).isEqualTo(19407);
        assertThat(c.logLevel()).isEqualTo(LogLevel.DEBUG);
        assertThat(c.logRaftLevel()).contains(LogLevel.DEBUG);
        assertThat(c.logFile()).contains(Path.of("/var/log/datastore.log"));
    }

    @Test
    void peersAreRepeatableAndSelfIsFound() {
        NodeConfig c = parse(MINIMAL.replace("Datastore-Node-Id=n1", "Datastore-Node-Id=n2"));
        assertThat(c.peers()).extracting(PeerSpec::id).containsExactly("n1", "n2", "n3");
        assertThat(c.self().raft()).isEqualTo(new HostAndPort("10.0.0.2", 9406));
        assertThat(c.self().client()).isEqualTo(new HostAndPort("10.0.0.2", 9405));
    }

    @Test
    void keysAndSectionsIgnoreCase() {
        NodeConfig c = parse(MINIMAL.replace("[Global]", "[gLoBaL]") + "DATASTORE-PORT=1234\nlog-level=Warn\n");
        assertThat(c.port()).isEqualTo(1234);
        assertThat(c.logLevel()).isEqualTo(LogLevel.WARN);
    }

    @Test
    void quotesAndComments() {
        NodeConfig c = parse("""
                # a whole-line comment
                   # an indented one

                [Global]   # trailing comment on a header
                Datastore-Node-Id = n1   # spaces around '=' and a trailing comment
                Datastore-Peer=n1,h1:1,h1:2
                Control-Auth="pa#ss \\"word\\" # still secret"   # comment after the quotes
                Datastore-Insecure-Disable-TLS="yes"
                Datastore-Data-Dir=/data/a#b
                Log-File="/var/log/x y.log"
                """);
        assertThat(c.nodeId()).isEqualTo("n1");
        assertThat(c.controlAuth().reveal()).isEqualTo("pa#ss \"word\" # still secret");
        assertThat(c.tlsDisabled()).isTrue();
        assertThat(c.dataDir()).isEqualTo(Path.of("/data/a#b"));
        assertThat(c.logFile()).contains(Path.of("/var/log/x y.log"));
    }

    @Test
    void windowsLineEndingsAndByteOrderMark() {
        NodeConfig c = parse("\uFEFF" + MINIMAL.replace("\n", "\r\n"));
        assertThat(c.nodeId()).isEqualTo("n1");
        assertThat(c.controlAuth().reveal()).isEqualTo(SECRET);
    }

    @Test
    void loadsFromFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("gravwell.conf");
        Files.writeString(file, MINIMAL + "Datastore-Prot=1\n");
        assertThatThrownBy(() -> NodeConfig.load(file, NO_ENV))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + ":9: unknown key \"Datastore-Prot\" (did you mean \"Datastore-Port\"?)");
        Files.writeString(file, MINIMAL);
        assertThat(NodeConfig.load(file, NO_ENV).nodeId()).isEqualTo("n1");
        assertThatThrownBy(() -> NodeConfig.load(dir.resolve("missing.conf"), NO_ENV))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("missing.conf: cannot read config file");
    }

    @Test
    void toStringNeverShowsTheSecret() {
        NodeConfig c = parse(MINIMAL);
        assertThat(c.toString()).doesNotContain(SECRET).contains("Control-Auth=****").contains("Datastore-Port=9405");
        assertThat(c.controlAuth().toString()).isEqualTo("****");
        assertThat(c.config().toString()).doesNotContain(SECRET);
    }
}
