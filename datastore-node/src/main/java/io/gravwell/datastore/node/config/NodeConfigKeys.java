package io.gravwell.datastore.node.config;

import io.gravwell.datastore.config.ByteSizes;
import io.gravwell.datastore.config.ConfigKey;
import io.gravwell.datastore.config.ConfigSchema;
import io.gravwell.datastore.config.Durations;
import io.gravwell.datastore.config.LogLevel;
import io.gravwell.datastore.config.Parsers;
import io.gravwell.datastore.config.Secret;
import io.gravwell.datastore.config.ValueParser;

import io.gravwell.datastore.statemachine.StateMachineSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/** Every key of a datastore node's config file, with its default. All keys live in {@code [Global]}. */
public final class NodeConfigKeys {
    private NodeConfigKeys() {}

    public static final String SECTION = "Global";

    /**
     * Fixed so that every node of a cluster agrees without configuration. Clusters that must never be
     * confused with each other tell them apart by the cluster id committed through Raft, not by this.
     */
    public static final UUID DEFAULT_RAFT_GROUP_ID = UUID.fromString("6d1c9a4e-2f57-4b83-9e0a-5c7d3b1f8a26");

    /** Ratis' log appender refuses entries of 4 MB and more; keep headroom for the entry's envelope. */
    public static final long MAX_ENTRY_SIZE_LIMIT = 3 * ByteSizes.MIB + 512 * ByteSizes.KIB;

    /** Room in one frame for the request envelope around a maximum-size entry. */
    public static final long FRAME_OVERHEAD = 64 * ByteSizes.KIB;

    public static final ConfigKey<String> DATASTORE_NODE_ID = ConfigKey.builder("Datastore-Node-Id",
                    Parsers.matching(PeerSpec.ID, "letters, digits, '-' and '_' (1-64 characters)"))
            .required()
            .description("This node's id; must match the id of one Datastore-Peer line.")
            .build();

    public static final ConfigKey<PeerSpec> DATASTORE_PEER = ConfigKey.builder("Datastore-Peer",
                    (ValueParser<PeerSpec>) PeerSpec::parse)
            .required()
            .repeatable()
            .description("One line per cluster member, this node included: ID,RAFT_HOST:PORT,CLIENT_HOST:PORT.")
            .build();

    public static final ConfigKey<String> DATASTORE_LISTEN_ADDRESS =
            ConfigKey.builder("Datastore-Listen-Address", Parsers.host())
                    .defaultValue("0.0.0.0")
                    .description("Address the client (webserver) port binds to.")
                    .build();

    public static final ConfigKey<Integer> DATASTORE_PORT = ConfigKey.builder("Datastore-Port", Parsers.port())
            .defaultValue(9405)
            .description("Client (webserver) port.")
            .build();

    public static final ConfigKey<String> DATASTORE_RAFT_LISTEN_ADDRESS =
            ConfigKey.builder("Datastore-Raft-Listen-Address", Parsers.host())
                    .defaultValue("0.0.0.0")
                    .description("Address the Raft port binds to.")
                    .build();

    public static final ConfigKey<Integer> DATASTORE_RAFT_PORT = ConfigKey.builder("Datastore-Raft-Port", Parsers.port())
            .defaultValue(9406)
            .description("Raft (node-to-node) port.")
            .build();

    /** Never under /tmp: Ratis' own default storage dir is there, and tmp cleaners would eat the log. */
    public static final ConfigKey<Path> DATASTORE_DATA_DIR = ConfigKey.builder("Datastore-Data-Dir", Parsers.absolutePath())
            .defaultValue(Path.of("/opt/gravwell/datastore"))
            .description("Directory for the Raft log, snapshots and the Xodus store (absolute path).")
            .build();

    public static final ConfigKey<Secret> CONTROL_AUTH = ConfigKey.builder("Control-Auth", Parsers.secret())
            .required()
            .secret()
            .description("Shared secret webservers and admin tools authenticate with.")
            .build();

    public static final ConfigKey<Boolean> DATASTORE_INSECURE_DISABLE_TLS =
            ConfigKey.builder("Datastore-Insecure-Disable-TLS", Parsers.bool())
                    .defaultValue(false)
                    .description("Serve the client port in plain text (testing only).")
                    .build();

    public static final ConfigKey<Path> CERTIFICATE_FILE = ConfigKey.builder("Certificate-File", Parsers.path())
            .description("PEM certificate chain for the client port; required unless TLS is disabled.")
            .build();

    public static final ConfigKey<Path> KEY_FILE = ConfigKey.builder("Key-File", Parsers.path())
            .description("PEM private key (PKCS#8, PKCS#1 or EC) for Certificate-File.")
            .build();

    public static final ConfigKey<Boolean> DATASTORE_RAFT_INSECURE_DISABLE_TLS =
            ConfigKey.builder("Datastore-Raft-Insecure-Disable-TLS", Parsers.bool())
                    .description("Run the Raft port in plain text without peer authentication (testing only);"
                            + " unset, it follows Datastore-Insecure-Disable-TLS.")
                    .build();

    public static final ConfigKey<Path> RAFT_CERTIFICATE_FILE = ConfigKey.builder("Raft-Certificate-File", Parsers.path())
            .description("PEM certificate chain this node shows its peers on the Raft port, signed by Raft-CA-File;"
                    + " default: Certificate-File.")
            .build();

    public static final ConfigKey<Path> RAFT_KEY_FILE = ConfigKey.builder("Raft-Key-File", Parsers.path())
            .description("PEM private key for Raft-Certificate-File; default: Key-File.")
            .build();

    public static final ConfigKey<Path> RAFT_CA_FILE = ConfigKey.builder("Raft-CA-File", Parsers.path())
            .description("PEM CA certificate(s) a peer's certificate must be signed by; default: the last"
                    + " certificate of Raft-Certificate-File if it is self-signed.")
            .build();

    public static final ConfigKey<UUID> DATASTORE_RAFT_GROUP_ID = ConfigKey.builder("Datastore-Raft-Group-Id", Parsers.uuid())
            .defaultValue(DEFAULT_RAFT_GROUP_ID)
            .description("Raft group id; identical on every node of one cluster.")
            .build();

    public static final ConfigKey<Long> DATASTORE_SNAPSHOT_THRESHOLD =
            ConfigKey.builder("Datastore-Snapshot-Threshold", Parsers.longRange(1, Long.MAX_VALUE))
                    .defaultValue(10_000L)
                    .description("Log entries between automatic snapshots.")
                    .build();

    public static final ConfigKey<Duration> DATASTORE_ELECTION_TIMEOUT =
            ConfigKey.builder("Datastore-Election-Timeout", Parsers.positiveDuration()
                    .where(d -> d.toMillis() >= 100, "must be at least 100ms (the leader's heartbeats come every half of it)")
                    .where(d -> d.toMillis() <= 60_000, "must be at most 60s"))
                    .defaultValue(Duration.ofMillis(200))
                    .printedAs(Durations::format)
                    .description("A follower that hears nothing from the leader for between this and twice this starts "
                            + "an election; the leader sends heartbeats every half of it. Identical on every node.")
                    .build();

    public static final ConfigKey<Duration> DATASTORE_TOMBSTONE_RETENTION =
            ConfigKey.builder("Datastore-Tombstone-Retention", Parsers.positiveDuration())
                    .defaultValue(Duration.ofDays(7))
                    .printedAs(Durations::format)
                    .description("How long deletes are remembered; a webserver offline longer does a full listing.")
                    .build();

    public static final ConfigKey<Duration> DATASTORE_COMPACTION_INTERVAL =
            ConfigKey.builder("Datastore-Compaction-Interval", Parsers.positiveDuration())
                    .defaultValue(Duration.ofHours(1))
                    .printedAs(Durations::format)
                    .description("How often expired tombstones are purged.")
                    .build();

    public static final ConfigKey<Duration> DATASTORE_WEBSERVER_EXPIRY =
            ConfigKey.builder("Datastore-Webserver-Expiry", Parsers.positiveDuration())
                    .defaultValue(Duration.ofHours(1))
                    .printedAs(Durations::format)
                    .description("Webserver registry entries not refreshed for this long are removed at compaction.")
                    .build();

    public static final ConfigKey<Long> DATASTORE_MAX_ENTRY_SIZE = ConfigKey.builder("Datastore-Max-Entry-Size",
                    Parsers.byteSize()
                            .where(n -> n >= ByteSizes.KIB, "must be at least 1KiB")
                            .where(n -> n < MAX_ENTRY_SIZE_LIMIT,
                                    "must be below 3.5MiB (Ratis' log appender rejects entries of 4 MB)"))
            .defaultValue(ByteSizes.MIB)
            .printedAs(ByteSizes::format)
            .description("Largest Raft log entry; bigger writes (resource content) are chunked.")
            .build();

    public static final ConfigKey<Long> DATASTORE_MAX_FRAME_SIZE = ConfigKey.builder("Datastore-Max-Frame-Size",
                    Parsers.byteSize().where(n -> n <= 64 * ByteSizes.MIB, "must be at most 64MiB"))
            .defaultValue(4 * ByteSizes.MIB)
            .printedAs(ByteSizes::format)
            .description("Largest client request/response frame; at least Datastore-Max-Entry-Size + 64KiB.")
            .build();

    public static final ConfigKey<Duration> DATASTORE_REQUEST_TIMEOUT =
            ConfigKey.builder("Datastore-Request-Timeout", Parsers.positiveDuration())
                    .defaultValue(Duration.ofSeconds(10))
                    .printedAs(Durations::format)
                    .description("How long a client request may wait for Raft before failing.")
                    .build();

    public static final ConfigKey<Duration> DATASTORE_APPLY_COMMIT_DELAY =
            ConfigKey.builder("Datastore-Apply-Commit-Delay", Parsers.duration()
                    .where(d -> !d.isNegative() && d.toMillis() <= 1_000, "must be between 0 and 1s"))
                    .defaultValue(StateMachineSettings.DEFAULT_COMMIT_DELAY)
                    .printedAs(Durations::format)
                    .description("How long applied writes may share an open store transaction before it commits. "
                            + "Writes are answered before; waiting readers, snapshots and shutdown commit at once. "
                            + "0 commits every batch.")
                    .build();

    public static final ConfigKey<Integer> DATASTORE_METRICS_PORT = ConfigKey.builder("Datastore-Metrics-Port", Parsers.port())
            .defaultValue(9407)
            .description("HTTP port for /metrics (Prometheus) and health checks.")
            .build();

    public static final ConfigKey<String> DATASTORE_METRICS_LISTEN_ADDRESS =
            ConfigKey.builder("Datastore-Metrics-Listen-Address", Parsers.host())
                    .defaultValue("0.0.0.0")
                    .description("Address the metrics and health HTTP port binds to.")
                    .build();

    public static final ConfigKey<LogLevel> LOG_LEVEL = ConfigKey.builder("Log-Level", Parsers.enumValue(LogLevel.class))
            .defaultValue(LogLevel.INFO)
            .description("ERROR, WARN, INFO, DEBUG or TRACE.")
            .build();

    public static final ConfigKey<LogLevel> LOG_RAFT_LEVEL =
            ConfigKey.builder("Log-Raft-Level", Parsers.enumValue(LogLevel.class))
                    .description("Level of the consensus library's own logs (elections, appends, log truncation);"
                            + " unset: WARN, with elections at INFO. DEBUG is for diagnosing consensus problems.")
                    .build();

    public static final ConfigKey<Path> LOG_FILE = ConfigKey.builder("Log-File", Parsers.absolutePath())
            .description("Log to this file instead of standard output (absolute path).")
            .build();

    public static final List<ConfigKey<?>> ALL = List.of(
            DATASTORE_NODE_ID, DATASTORE_PEER, DATASTORE_LISTEN_ADDRESS, DATASTORE_PORT,
            DATASTORE_RAFT_LISTEN_ADDRESS, DATASTORE_RAFT_PORT, DATASTORE_DATA_DIR, CONTROL_AUTH,
            DATASTORE_INSECURE_DISABLE_TLS, CERTIFICATE_FILE, KEY_FILE, DATASTORE_RAFT_INSECURE_DISABLE_TLS,
            RAFT_CERTIFICATE_FILE, RAFT_KEY_FILE, RAFT_CA_FILE, DATASTORE_RAFT_GROUP_ID,
            DATASTORE_SNAPSHOT_THRESHOLD, DATASTORE_ELECTION_TIMEOUT, DATASTORE_TOMBSTONE_RETENTION, DATASTORE_COMPACTION_INTERVAL, DATASTORE_WEBSERVER_EXPIRY,
            DATASTORE_MAX_ENTRY_SIZE, DATASTORE_MAX_FRAME_SIZE, DATASTORE_REQUEST_TIMEOUT, DATASTORE_APPLY_COMMIT_DELAY,
            DATASTORE_METRICS_LISTEN_ADDRESS, DATASTORE_METRICS_PORT, LOG_LEVEL, LOG_RAFT_LEVEL, LOG_FILE);

    public static final ConfigSchema SCHEMA = ConfigSchema.builder().section(SECTION, ALL).build();
}
