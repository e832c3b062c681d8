package io.gravwell.datastore.webserver;

import static io.gravwell.datastore.webserver.WebserverConfigKeys.*;

import io.gravwell.datastore.config.Config;
import io.gravwell.datastore.config.HostAndPort;
import io.gravwell.datastore.config.LogLevel;
import io.gravwell.datastore.config.Secret;
import io.gravwell.datastore.protocol.tls.SslContexts;
import io.netty.handler.ssl.SslContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** The reference webserver's validated configuration. Immutable; {@code toString()} never shows Control-Auth. */
public final class WebserverConfig {
  private final Config config;

  private WebserverConfig(Config config) {
    this.config = config;
    checkTls(config);
  }

  /** Reads the file, applies {@code GRAVWELL_*} overrides from {@code env}, and validates everything. */
  public static WebserverConfig load(Path file, Map<String, String> env) {
    return new WebserverConfig(Config.load(SCHEMA, file, env));
  }

  /** As {@link #load} for text already in memory; {@code sourceName} prefixes error messages. */
  public static WebserverConfig parse(String text, String sourceName, Map<String, String> env) {
    return new WebserverConfig(Config.parse(SCHEMA, text, sourceName, env));
  }

  public Config config() {
    return config;
  }

  /** Every endpoint of every Datastore line, in file order, duplicates dropped. */
  public List<HostAndPort> datastores() {
    Set<HostAndPort> all = new LinkedHashSet<>();
    config.getAll(DATASTORE).forEach(all::addAll);
    return List.copyOf(all);
  }

  public Optional<String> externalAddr() {
    return config.find(EXTERNAL_ADDR);
  }

  public Duration updateInterval() {
    return config.get(DATASTORE_UPDATE_INTERVAL);
  }

  public Duration tombstoneRetention() {
    return config.get(DATASTORE_TOMBSTONE_RETENTION);
  }

  public UUID webserverUuid() {
    return config.get(WEBSERVER_UUID);
  }

  public String domain() {
    return config.get(WEBSERVER_DOMAIN);
  }

  public Secret controlAuth() {
    return config.get(CONTROL_AUTH);
  }

  public String webListenAddress() {
    return config.get(WEB_LISTEN_ADDRESS);
  }

  public int webPort() {
    return config.get(WEB_PORT);
  }

  public Path dataDir() {
    return config.get(WEBSERVER_DATA_DIR);
  }

  public int maxSearchHistory() {
    return config.get(MAX_SEARCH_HISTORY);
  }

  public long resourceMaxSize() {
    return config.get(RESOURCE_MAX_SIZE);
  }

  public LogLevel logLevel() {
    return config.get(LOG_LEVEL);
  }

  /** The TLS context for the datastore connection; null when TLS is disabled. */
  public SslContext datastoreSslContext() {
    if (config.get(DATASTORE_INSECURE_DISABLE_TLS)) {
      return null;
    }
    if (config.get(DATASTORE_INSECURE_SKIP_TLS_VERIFY)) {
      return SslContexts.insecureClient();
    }
    return SslContexts.client(config.find(DATASTORE_CA_FILE).orElse(null));
  }

  /** The TLS keys contradict each other in two ways; saying so beats silently picking one. */
  private static void checkTls(Config c) {
    boolean disabled = c.get(DATASTORE_INSECURE_DISABLE_TLS);
    boolean skipVerify = c.get(DATASTORE_INSECURE_SKIP_TLS_VERIFY);
    if (disabled && (skipVerify || c.isSet(DATASTORE_CA_FILE))) {
      throw c.invalid("TLS is disabled, so Datastore-Insecure-Skip-TLS-Verify and Datastore-CA-File have no"
          + " effect; remove them or enable TLS", DATASTORE_INSECURE_DISABLE_TLS, DATASTORE_INSECURE_SKIP_TLS_VERIFY,
          DATASTORE_CA_FILE);
    }
    if (skipVerify && c.isSet(DATASTORE_CA_FILE)) {
      throw c.invalid("Datastore-CA-File is ignored when verification is skipped; set one or the other",
          DATASTORE_INSECURE_SKIP_TLS_VERIFY, DATASTORE_CA_FILE);
    }
  }

  @Override
  public String toString() {
    return "WebserverConfig[" + config + "]";
  }
}
