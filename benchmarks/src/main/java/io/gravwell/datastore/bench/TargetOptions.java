package io.gravwell.datastore.bench;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Option;

/** Which system to drive and how to reach it; shared by the load generator and the failover probe. */
final class TargetOptions {

  enum Kind { datastore, etcd }

  @Option(names = "--target", defaultValue = "datastore",
      description = "system under test: datastore or etcd (default: ${DEFAULT-VALUE})")
  Kind kind;

  @Option(names = "--endpoints", required = true, split = ",",
      description = "datastore: host:port,...; etcd: http://host:port,...; clients are spread round-robin")
  List<String> endpoints;

  @Option(names = "--ca", description = "datastore: PEM certificate(s) to trust (TLS); without it, plain TCP")
  File ca;

  @Option(names = "--secret-file",
      description = "datastore: file holding the Control-Auth secret (default: env GRAVWELL_CONTROL_AUTH, "
          + "then the file named by GRAVWELL_CONTROL_AUTH_FILE)")
  Path secretFile;

  @Option(names = "--domain", defaultValue = "bench", description = "object domain (default: ${DEFAULT-VALUE})")
  String domain;

  @Option(names = "--kind", defaultValue = "bench", description = "object kind (default: ${DEFAULT-VALUE})")
  String objectKind;

  @Option(names = "--io-threads", defaultValue = "2",
      description = "client network threads (Netty event loops, or etcd client executor) (default: ${DEFAULT-VALUE})")
  int ioThreads;

  @Option(names = "--connection-per-client",
      description = "datastore: one connection per client, instead of one per endpoint shared by the clients bound"
          + " to it (the etcd target's clients share one jetcd channel per endpoint)")
  boolean connectionPerClient;

  @Option(names = "--writes-anywhere",
      description = "datastore: send each client's puts over its own endpoint's connection, for the node to forward"
          + " to the leader; by default puts go to the leader's connection, as the webserver client sends them")
  boolean writesAnywhere;

  @Option(names = "--request-timeout", defaultValue = "15",
      description = "seconds before one request counts as a timeout error (default: ${DEFAULT-VALUE})")
  int requestTimeoutSeconds;

  Duration requestTimeout() {
    return Duration.ofSeconds(requestTimeoutSeconds);
  }

  /** The id of key number k; the same key names for every target. */
  static String keyId(int k) {
    return String.format(Locale.ROOT, "k%07d", k);
  }

  BenchTarget open(int keySpace) throws IOException {
    return switch (kind) {
      case datastore -> {
        String secret = readSecret();
        if (secret == null) {
          throw new IOException("no secret: pass --secret-file or set GRAVWELL_CONTROL_AUTH");
        }
        yield new DatastoreTarget(this, secret, keySpace);
      }
      case etcd -> new EtcdTarget(this, keySpace);
    };
  }

  private String readSecret() throws IOException {
    if (secretFile != null) {
      return Files.readString(secretFile, StandardCharsets.UTF_8).strip();
    }
    String env = System.getenv("GRAVWELL_CONTROL_AUTH");
    if (env != null && !env.isBlank()) {
      return env.strip();
    }
    String file = System.getenv("GRAVWELL_CONTROL_AUTH_FILE");
    if (file != null && !file.isBlank()) {
      return Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
    }
    return null;
  }
}
