package io.gravwell.datastore.protocol.client;

import io.gravwell.datastore.protocol.wire.Frames;
import io.netty.handler.ssl.SslContext;
import java.time.Duration;
import java.util.Objects;

/**
 * How to reach one datastore node. {@code sslContext == null} means plain TCP, which a node only accepts
 * when it runs with Datastore-Insecure-Disable-TLS=true.
 */
public record ConnectionOptions(
    String host,
    int port,
    SslContext sslContext,
    String secret,
    String clientId,
    int maxFrameBytes,
    Duration connectTimeout,
    Duration requestTimeout) {

  public ConnectionOptions {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(secret, "secret");
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
  }

  public static ConnectionOptions of(String host, int port, SslContext sslContext, String secret, String clientId) {
    return new ConnectionOptions(
        host, port, sslContext, secret, clientId, Frames.DEFAULT_MAX_FRAME_BYTES,
        Duration.ofSeconds(5), Duration.ofSeconds(15));
  }

  public ConnectionOptions withRequestTimeout(Duration timeout) {
    return new ConnectionOptions(host, port, sslContext, secret, clientId, maxFrameBytes, connectTimeout, timeout);
  }

  public ConnectionOptions withMaxFrameBytes(int bytes) {
    return new ConnectionOptions(host, port, sslContext, secret, clientId, bytes, connectTimeout, requestTimeout);
  }

  /** Never prints the secret. */
  @Override
  public String toString() {
    return "ConnectionOptions[" + host + ":" + port + (sslContext == null ? " plain" : " tls") + ", client=" + clientId + "]";
  }
}
