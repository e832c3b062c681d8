package io.gravwell.datastore.node.config;

import io.gravwell.datastore.config.ByteSizes;
import io.gravwell.datastore.config.Config;
import io.gravwell.datastore.config.ConfigKey;
import io.gravwell.datastore.config.HostAndPort;
import io.gravwell.datastore.config.LogLevel;
import io.gravwell.datastore.config.Secret;

import static io.gravwell.datastore.node.config.NodeConfigKeys.*;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/** A datastore node's validated configuration. Immutable; {@code toString()} never shows Control-Auth. */
public final class NodeConfig {
    private final Config config;
    private final PeerSpec self;

    private NodeConfig(Config config) {
        this.config = config;
        this.self = NodeConfigRules.check(config);
    }

    /** Reads the file, applies {@code GRAVWELL_*} overrides from {@code env}, and validates everything. */
    public static NodeConfig load(Path file, Map<String, String> env) {
        return new NodeConfig(Config.load(SCHEMA, file, env));
    }

    /** As {@link #load} for text already in memory; {@code sourceName} prefixes error messages. */
    public static NodeConfig parse(String text, String sourceName, Map<String, String> env) {
        return new NodeConfig(Config.parse(SCHEMA, text, sourceName, env));
    }

    /** The generic view, e.g. to ask where a value came from ({@link Config#origin}). */
    public Config config() {
        return config;
    }

    public String nodeId() {
        return config.get(DATASTORE_NODE_ID);
    }

    /** All cluster members in file order, this node included. */
    public List<PeerSpec> peers() {
        return config.getAll(DATASTORE_PEER);
    }

    /** This node's own peer entry. */
    public PeerSpec self() {
        return self;
    }

    public String listenAddress() {
        return config.get(DATASTORE_LISTEN_ADDRESS);
    }

    public int port() {
        return config.get(DATASTORE_PORT);
    }

    public String raftListenAddress() {
        return config.get(DATASTORE_RAFT_LISTEN_ADDRESS);
    }

    /**
     * The port Raft listens on: Datastore-Raft-Port when set (for NAT or containers, where the address
     * peers dial differs), otherwise the port of this node's own Datastore-Peer entry, so that the two
     * cannot silently disagree.
     */
    public int raftPort() {
        return config.isSet(DATASTORE_RAFT_PORT) ? config.get(DATASTORE_RAFT_PORT) : self().raft().port();
    }

    public Path dataDir() {
        return config.get(DATASTORE_DATA_DIR);
    }

    public Secret controlAuth() {
        return config.get(CONTROL_AUTH);
    }

    public boolean tlsDisabled() {
        return config.get(DATASTORE_INSECURE_DISABLE_TLS);
    }

    /** Present whenever TLS is enabled. */
    public Optional<Path> certificateFile() {
        return config.find(CERTIFICATE_FILE);
    }

    /** Present whenever TLS is enabled. */
    public Optional<Path> keyFile() {
        return config.find(KEY_FILE);
    }

    /** Raft runs in plain text; unset, Datastore-Raft-Insecure-Disable-TLS follows the client port's switch. */
    public boolean raftTlsDisabled() {
        return config.find(DATASTORE_RAFT_INSECURE_DISABLE_TLS).orElse(tlsDisabled());
    }

    /** The certificate chain shown to peers; present whenever peer TLS is enabled. */
    public Optional<Path> raftCertificateFile() {
        return config.find(RAFT_CERTIFICATE_FILE).or(this::certificateFile);
    }

    /** Present whenever peer TLS is enabled. */
    public Optional<Path> raftKeyFile() {
        return config.find(RAFT_KEY_FILE).or(this::keyFile);
    }

    /** The CAs peers must be signed by; empty means: the self-signed end of {@link #raftCertificateFile()}. */
    public Optional<Path> raftCaFile() {
        return config.find(RAFT_CA_FILE);
    }

    public UUID raftGroupId() {
        return config.get(DATASTORE_RAFT_GROUP_ID);
    }

    public long snapshotThreshold() {
        return config.get(DATASTORE_SNAPSHOT_THRESHOLD);
    }

    public Duration electionTimeout() {
        return config.get(DATASTORE_ELECTION_TIMEOUT);
    }

    public Duration applyCommitDelay() {
        return config.get(DATASTORE_APPLY_COMMIT_DELAY);
    }

    public Duration tombstoneRetention() {
        return config.get(DATASTORE_TOMBSTONE_RETENTION);
    }

    public Duration compactionInterval() {
        return config.get(DATASTORE_COMPACTION_INTERVAL);
    }

    public Duration webserverExpiry() {
        return config.get(DATASTORE_WEBSERVER_EXPIRY);
    }

    /** Bytes; below 3.5 MiB. */
    public int maxEntrySize() {
        return Math.toIntExact(config.get(DATASTORE_MAX_ENTRY_SIZE));
    }

    /** Bytes; at most 64 MiB, so it fits Netty's int frame lengths. */
    public int maxFrameSize() {
        return Math.toIntExact(config.get(DATASTORE_MAX_FRAME_SIZE));
    }

    public Duration requestTimeout() {
        return config.get(DATASTORE_REQUEST_TIMEOUT);
    }

    public String metricsListenAddress() {
        return config.get(DATASTORE_METRICS_LISTEN_ADDRESS);
    }

    public int metricsPort() {
        return config.get(DATASTORE_METRICS_PORT);
    }

    public LogLevel logLevel() {
        return config.get(LOG_LEVEL);
    }

    public Optional<LogLevel> logRaftLevel() {
        return config.find(LOG_RAFT_LEVEL);
    }

    public Optional<Path> logFile() {
        return config.find(LOG_FILE);
    }

    @Override
    public String toString() {
        return "NodeConfig[" + config + "]";
    }

    /** Rules that span several keys; each error names every key involved. */
    static final class NodeConfigRules {
        private NodeConfigRules() {}

        static PeerSpec check(Config c) {
            checkTls(c);
            checkSizes(c);
            checkPorts(c);
            return checkPeers(c);
        }

        private static void checkTls(Config c) {
            if (!c.get(DATASTORE_INSECURE_DISABLE_TLS)) {
                for (ConfigKey<Path> key : List.of(CERTIFICATE_FILE, KEY_FILE)) {
                    if (c.find(key).isEmpty()) {
                        throw c.invalid("missing \"" + key.name() + "\": Certificate-File and Key-File are required"
                                + " unless Datastore-Insecure-Disable-TLS=true", key, DATASTORE_INSECURE_DISABLE_TLS);
                    }
                }
            }
            checkRaftTls(c);
        }

        /** A Raft key must never be paired with the client port's certificate, or the other way round. */
        private static void checkRaftTls(Config c) {
            if (c.find(DATASTORE_RAFT_INSECURE_DISABLE_TLS).orElse(c.get(DATASTORE_INSECURE_DISABLE_TLS))) {
                return;
            }
            if (c.isSet(RAFT_CERTIFICATE_FILE) != c.isSet(RAFT_KEY_FILE)) {
                throw c.invalid("set both Raft-Certificate-File and Raft-Key-File, or neither (then the Raft port"
                        + " uses Certificate-File and Key-File)", RAFT_CERTIFICATE_FILE, RAFT_KEY_FILE);
            }
            if (c.find(RAFT_CERTIFICATE_FILE).or(() -> c.find(CERTIFICATE_FILE)).isEmpty()) {
                throw c.invalid("missing \"Raft-Certificate-File\": peer TLS on the Raft port needs a certificate"
                                + " (Raft-Certificate-File and Raft-Key-File, or Certificate-File and Key-File)"
                                + " unless Datastore-Raft-Insecure-Disable-TLS=true",
                        RAFT_CERTIFICATE_FILE, CERTIFICATE_FILE, DATASTORE_RAFT_INSECURE_DISABLE_TLS);
            }
        }

        private static void checkSizes(Config c) {
            long entry = c.get(DATASTORE_MAX_ENTRY_SIZE);
            long frame = c.get(DATASTORE_MAX_FRAME_SIZE);
            if (frame < entry + FRAME_OVERHEAD) {
                throw c.invalid("Datastore-Max-Frame-Size (" + ByteSizes.format(frame) + ") must be at least"
                                + " Datastore-Max-Entry-Size (" + ByteSizes.format(entry) + ") + 64KiB",
                        DATASTORE_MAX_FRAME_SIZE, DATASTORE_MAX_ENTRY_SIZE);
            }
        }

        /** All three listeners bind on one host by default, so equal ports can never all start. */
        private static void checkPorts(Config c) {
            List<ConfigKey<Integer>> ports = List.of(DATASTORE_PORT, DATASTORE_RAFT_PORT, DATASTORE_METRICS_PORT);
            for (int i = 0; i < ports.size(); i++) {
                for (int j = i + 1; j < ports.size(); j++) {
                    if (c.get(ports.get(i)).equals(c.get(ports.get(j)))) {
                        throw c.invalid(ports.get(i).name() + " and " + ports.get(j).name() + " are both "
                                + c.get(ports.get(i)) + "; they must differ", ports.get(i), ports.get(j));
                    }
                }
            }
        }

        private static PeerSpec checkPeers(Config c) {
            List<PeerSpec> peers = c.getAll(DATASTORE_PEER);
            Set<String> ids = new HashSet<>();
            Set<HostAndPort> raftAddresses = new HashSet<>();
            Set<HostAndPort> clientAddresses = new HashSet<>();
            for (PeerSpec p : peers) {
                if (!ids.add(p.id())) {
                    throw c.invalid("Datastore-Peer id \"" + p.id() + "\" appears more than once", DATASTORE_PEER);
                }
                if (!raftAddresses.add(p.raft())) {
                    throw c.invalid("Datastore-Peer Raft address " + p.raft() + " appears more than once",
                            DATASTORE_PEER);
                }
                if (!clientAddresses.add(p.client())) {
                    throw c.invalid("Datastore-Peer client address " + p.client() + " appears more than once",
                            DATASTORE_PEER);
                }
            }
            String nodeId = c.get(DATASTORE_NODE_ID);
            return peers.stream().filter(p -> p.id().equals(nodeId)).findFirst().orElseThrow(() -> c.invalid(
                    "Datastore-Node-Id \"" + nodeId + "\" is not one of the Datastore-Peer ids "
                            + peers.stream().map(PeerSpec::id).collect(Collectors.joining(", ", "[", "]")),
                    DATASTORE_NODE_ID, DATASTORE_PEER));
        }
    }
}
