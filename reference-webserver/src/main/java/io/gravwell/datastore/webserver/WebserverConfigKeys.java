package io.gravwell.datastore.webserver;

import io.gravwell.datastore.client.sync.SyncSettings;
import io.gravwell.datastore.config.ByteSizes;
import io.gravwell.datastore.config.ConfigKey;
import io.gravwell.datastore.config.ConfigSchema;
import io.gravwell.datastore.config.Durations;
import io.gravwell.datastore.config.HostAndPort;
import io.gravwell.datastore.config.LogLevel;
import io.gravwell.datastore.config.Parsers;
import io.gravwell.datastore.config.Secret;
import io.gravwell.datastore.config.ValueParser;
import io.gravwell.datastore.protocol.wire.Frames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/** Every key of the reference webserver's gravwell.conf, with its default. All keys live in {@code [Global]}. */
public final class WebserverConfigKeys {
  private WebserverConfigKeys() {}

  public static final String SECTION = "Global";

  /** The datastore's client port, as upstream documents it; used when an endpoint names no port. */
  public static final int DEFAULT_DATASTORE_PORT = Frames.DEFAULT_PORT;

  /** One endpoint: HOST, HOST:PORT or [IPv6]:PORT; a bare host gets the default port. */
  static final ValueParser<HostAndPort> ENDPOINT = text -> {
    String s = text.trim();
    boolean hasPort = s.startsWith("[") ? s.contains("]:") : s.indexOf(':') >= 0;
    return HostAndPort.parse(hasPort ? s : s + ":" + DEFAULT_DATASTORE_PORT);
  };

  public static final ConfigKey<List<HostAndPort>> DATASTORE = ConfigKey.builder("Datastore", Parsers.list(ENDPOINT))
      .required()
      .repeatable()
      .description("Datastore node endpoints, HOST[:PORT] (port 9405 by default); repeat the line or separate"
          + " with commas. Any subset of the members is enough: the rest are learned from the cluster.")
      .build();

  public static final ConfigKey<String> EXTERNAL_ADDR = ConfigKey.builder("External-Addr", Parsers.nonEmptyString())
      .description("Address other webservers and users reach this webserver at; published in the registry.")
      .build();

  public static final ConfigKey<Duration> DATASTORE_UPDATE_INTERVAL =
      ConfigKey.builder("Datastore-Update-Interval", Parsers.positiveDuration())
          .defaultValue(Duration.ofSeconds(10))
          .printedAs(Durations::format)
          .description("Poll and heartbeat period (bare number = seconds); the watch stream pushes sooner.")
          .build();

  public static final ConfigKey<Duration> DATASTORE_TOMBSTONE_RETENTION =
      ConfigKey.builder("Datastore-Tombstone-Retention", Parsers.positiveDuration())
          .defaultValue(SyncSettings.DEFAULT_TOMBSTONE_RETENTION)
          .printedAs(Durations::format)
          .description("How long this webserver remembers deletes the datastore acknowledged, so that a re-seed"
              + " (a datastore that lost its disks, or a restore) keeps them deleted; as on the nodes.")
          .build();

  public static final ConfigKey<UUID> WEBSERVER_UUID = ConfigKey.builder("Webserver-UUID", Parsers.uuid())
      .required()
      .description("This webserver's identity: stamped on every change it makes and its registry entry.")
      .build();

  public static final ConfigKey<String> WEBSERVER_DOMAIN = ConfigKey.builder("Webserver-Domain",
          Parsers.matching(Pattern.compile("[A-Za-z0-9_.-]{1,64}"), "letters, digits, '.', '-' and '_' (1-64)"))
      .defaultValue("default")
      .description("Webservers of one domain share their objects; other domains are invisible.")
      .build();

  public static final ConfigKey<Secret> CONTROL_AUTH = ConfigKey.builder("Control-Auth", Parsers.secret())
      .required()
      .secret()
      .description("Shared secret the datastore nodes accept.")
      .build();

  public static final ConfigKey<Boolean> DATASTORE_INSECURE_DISABLE_TLS =
      ConfigKey.builder("Datastore-Insecure-Disable-TLS", Parsers.bool())
          .defaultValue(false)
          .description("Talk to the datastore in plain text (testing only; the nodes must agree).")
          .build();

  public static final ConfigKey<Boolean> DATASTORE_INSECURE_SKIP_TLS_VERIFY =
      ConfigKey.builder("Datastore-Insecure-Skip-TLS-Verify", Parsers.bool())
          .defaultValue(false)
          .description("Accept any datastore certificate: encrypted but open to a man in the middle.")
          .build();

  public static final ConfigKey<Path> DATASTORE_CA_FILE = ConfigKey.builder("Datastore-CA-File", Parsers.path())
      .description("PEM certificate(s) to trust for the datastore; the JDK trust store if unset.")
      .build();

  public static final ConfigKey<String> WEB_LISTEN_ADDRESS = ConfigKey.builder("Web-Listen-Address", Parsers.host())
      .defaultValue("127.0.0.1")
      .description("Address the HTTP API binds to.")
      .build();

  /** 0 binds any free port: tests run several webservers side by side. */
  public static final ConfigKey<Integer> WEB_PORT = ConfigKey.builder("Web-Port", Parsers.intRange(0, 65535))
      .defaultValue(8080)
      .description("HTTP API port; 0 picks a free one.")
      .build();

  /** Never under /tmp: this copy is what re-seeds an emptied datastore. */
  public static final ConfigKey<Path> WEBSERVER_DATA_DIR = ConfigKey.builder("Webserver-Data-Dir", Parsers.absolutePath())
      .defaultValue(Path.of("/opt/gravwell/webserver-data"))
      .description("Directory of the local store (absolute path); the last line of defence against data loss.")
      .build();

  public static final ConfigKey<Integer> MAX_SEARCH_HISTORY = ConfigKey.builder("Max-Search-History",
          Parsers.intRange(1, 100_000))
      .defaultValue(100)
      .description("Search history entries kept per user; older ones are deleted.")
      .build();

  public static final ConfigKey<Long> RESOURCE_MAX_SIZE = ConfigKey.builder("Resource-Max-Size",
          Parsers.byteSize().where(n -> n > 0, "must be greater than zero"))
      .defaultValue(512 * ByteSizes.MIB)
      .printedAs(ByteSizes::format)
      .description("Largest resource content accepted (plain bytes or KiB/MiB/GiB).")
      .build();

  public static final ConfigKey<LogLevel> LOG_LEVEL = ConfigKey.builder("Log-Level", Parsers.enumValue(LogLevel.class))
      .defaultValue(LogLevel.INFO)
      .description("ERROR, WARN, INFO, DEBUG or TRACE.")
      .build();

  public static final List<ConfigKey<?>> ALL = List.of(
      DATASTORE, EXTERNAL_ADDR, DATASTORE_UPDATE_INTERVAL, DATASTORE_TOMBSTONE_RETENTION, WEBSERVER_UUID, WEBSERVER_DOMAIN, CONTROL_AUTH,
      DATASTORE_INSECURE_DISABLE_TLS, DATASTORE_INSECURE_SKIP_TLS_VERIFY, DATASTORE_CA_FILE,
      WEB_LISTEN_ADDRESS, WEB_PORT, WEBSERVER_DATA_DIR, MAX_SEARCH_HISTORY, RESOURCE_MAX_SIZE, LOG_LEVEL);

  public static final ConfigSchema SCHEMA = ConfigSchema.builder().section(SECTION, ALL).build();
}
