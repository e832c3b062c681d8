package io.gravwell.datastore.chaos.cluster;

import io.gravwell.datastore.protocol.tls.SelfSignedCertificates;
import io.gravwell.datastore.protocol.tls.SslContexts;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The TLS certificate (one for the whole cluster, naming every address a node may have) and the
 * Control-Auth secret. TLS stays on, as in production: the chaos runs test the product's default.
 */
public final class ClusterSecrets {
  private final Path dir;
  private final String secret;
  private final SslContext clientSsl;

  private ClusterSecrets(Path dir, String secret) {
    this.dir = dir;
    this.secret = secret;
    this.clientSsl = SslContexts.client(certificate());
  }

  /** Certificate valid for every address of the network's nodes (.2 to .30). */
  public static ClusterSecrets create(Path dir, List<String> addresses, RandomGenerator random) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    SelfSignedCertificates.generate(dir.resolve("cert.pem"), dir.resolve("key.pem"), addresses, Duration.ofDays(2));
    byte[] bytes = new byte[16];
    random.nextBytes(bytes);
    return new ClusterSecrets(dir, HexFormat.of().formatHex(bytes));
  }

  public Path dir() {
    return dir;
  }

  public Path certificate() {
    return dir.resolve("cert.pem");
  }

  public String secret() {
    return secret;
  }

  public SslContext clientSsl() {
    return clientSsl;
  }
}
