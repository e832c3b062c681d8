package io.gravwell.datastore.node.cli;

import io.gravwell.datastore.config.ConfigException;
import io.gravwell.datastore.config.Durations;
import io.gravwell.datastore.node.config.NodeConfig;
import io.gravwell.datastore.protocol.tls.TlsException;
import io.gravwell.datastore.protocol.tls.SslContexts;
import io.gravwell.datastore.protocol.client.ConnectionOptions;
import io.gravwell.datastore.protocol.client.DatastoreConnection;
import io.gravwell.datastore.protocol.client.DatastoreException;
import io.gravwell.datastore.protocol.v1.ErrorCode;
import io.netty.handler.ssl.SslContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Option;

/**
 * How a client-side subcommand reaches a node: from a node config file (its own client port, its secret
 * and its certificate as the trust anchor), or from explicit options. The secret comes from the config
 * or the environment (GRAVWELL_CONTROL_AUTH), never from the command line, where `ps` would show it.
 */
final class ClientOptions {
  @Option(names = {"-c", "--config"}, description = "node config to take endpoint, secret and TLS settings from")
  Path config;

  @Option(names = {"-e", "--endpoint"}, description = "host:port of a node's client port (default: from --config)")
  String endpoint;

  @Option(names = "--ca", description = "PEM certificate(s) to trust (default: the config's Certificate-File)")
  Path ca;

  @Option(names = "--insecure-skip-tls-verify", description = "accept any server certificate")
  boolean skipVerify;

  @Option(names = "--plain", description = "plain TCP (for nodes with Datastore-Insecure-Disable-TLS=true)")
  boolean plain;

  @Option(names = "--timeout", defaultValue = "10s", description = "request timeout, e.g. 5s (default: ${DEFAULT-VALUE})")
  String timeout;

  DatastoreConnection connect() {
    NodeConfig cfg = loadConfig();
    String target = endpoint != null ? endpoint
        : cfg != null ? "127.0.0.1:" + cfg.port() : null;
    if (target == null) {
      throw new CliException(DatastoreCommand.EXIT_USAGE, "give --config or --endpoint");
    }
    return connect(cfg, target, requestTimeout());
  }

  /** Another node of the same cluster (same secret and trust), at the client address it is known by. */
  DatastoreConnection connectTo(String target) {
    return connect(loadConfig(), target, requestTimeout());
  }

  /** {@link #connectTo(String)} with a request timeout of its own, for calls that wait long. */
  DatastoreConnection connectTo(String target, Duration requestTimeout) {
    return connect(loadConfig(), target, requestTimeout);
  }

  private NodeConfig loadConfig() {
    return config == null ? null : NodeConfig.load(config, System.getenv());
  }

  private DatastoreConnection connect(NodeConfig cfg, String target, Duration t) {
    String secret = cfg != null ? cfg.controlAuth().reveal() : System.getenv("GRAVWELL_CONTROL_AUTH");
    if (secret == null || secret.isEmpty()) {
      throw new CliException(DatastoreCommand.EXIT_USAGE,
          "no Control-Auth secret: give --config, or set GRAVWELL_CONTROL_AUTH");
    }
    boolean noTls = plain || (cfg != null && cfg.tlsDisabled());
    SslContext ssl;
    if (noTls) {
      ssl = null;
    } else if (skipVerify) {
      ssl = SslContexts.insecureClient();
    } else if (ca != null) {
      ssl = SslContexts.client(ca);
    } else if (cfg != null && cfg.certificateFile().isPresent()) {
      ssl = SslContexts.client(cfg.certificateFile().get());
    } else {
      ssl = SslContexts.client(null);
    }
    int colon = target.lastIndexOf(':');
    if (colon <= 0) {
      throw new CliException(DatastoreCommand.EXIT_USAGE, "endpoint must be host:port, got '" + target + "'");
    }
    String host = target.substring(0, colon);
    int port;
    try {
      port = Integer.parseInt(target.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new CliException(DatastoreCommand.EXIT_USAGE, "endpoint port is not a number: '" + target + "'");
    }
    ConnectionOptions opts = ConnectionOptions.of(host, port, ssl, secret, "datastore-cli").withRequestTimeout(t);
    try {
      return DatastoreConnection.open(opts).get(t.toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw failure("cannot talk to " + target, e);
    }
  }

  Duration requestTimeout() {
    return parseDuration("--timeout", timeout);
  }

  /** Connects, runs one exchange, and reports any failure as a one-line error with exit code 1. */
  int run(String what, java.util.function.ToIntFunction<DatastoreConnection> exchange) {
    try (DatastoreConnection conn = connect()) {
      return exchange.applyAsInt(conn);
    } catch (CliException | ConfigException | TlsException e) {
      throw e;
    } catch (RuntimeException e) {
      throw failure(what + " failed", e);
    }
  }

  static CliException failure(String what, Throwable e) {
    Throwable cause = e;
    while ((cause instanceof CompletionException || cause instanceof java.util.concurrent.ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof DatastoreException d && d.code() == ErrorCode.AUTH_FAILED) {
      return new CliException(DatastoreCommand.EXIT_FAILED, what + ": the node refused the Control-Auth secret");
    }
    if (cause instanceof DatastoreException d && d.code() == ErrorCode.BAD_REQUEST) {
      return new CliException(DatastoreCommand.EXIT_USAGE, what + ": " + d.detail());
    }
    if (cause instanceof DatastoreException d) {
      return new CliException(DatastoreCommand.EXIT_FAILED, what + ": " + d.detail() + " (" + d.code() + ")");
    }
    return new CliException(DatastoreCommand.EXIT_FAILED, what + ": " + cause.getMessage());
  }

  static Duration parseDuration(String option, String s) {
    try {
      return Durations.parse(s);
    } catch (IllegalArgumentException e) {
      throw new CliException(DatastoreCommand.EXIT_USAGE, option + " must look like 5s, 500ms or 10m, got '" + s + "'");
    }
  }
}
