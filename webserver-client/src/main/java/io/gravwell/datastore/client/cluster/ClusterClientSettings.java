package io.gravwell.datastore.client.cluster;

import io.netty.handler.ssl.SslContext;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a webserver reaches the cluster: the configured endpoints (Datastore=, any subset of the members is
 * enough: the rest are learned from Hello), TLS (null only for Datastore-Insecure-Disable-TLS), the
 * Control-Auth secret and this webserver's id.
 */
public record ClusterClientSettings(
    List<String> endpoints,
    SslContext sslContext,
    String secret,
    String webserverId,
    Duration connectTimeout,
    Duration requestTimeout) {

  public ClusterClientSettings {
    if (endpoints == null || endpoints.isEmpty()) {
      throw new IllegalArgumentException("at least one datastore endpoint is needed (Datastore=host:port)");
    }
    endpoints = List.copyOf(endpoints);
    Objects.requireNonNull(secret, "secret");
    Objects.requireNonNull(webserverId, "webserverId");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
  }

  public static ClusterClientSettings of(List<String> endpoints, SslContext ssl, String secret, String webserverId) {
    return new ClusterClientSettings(endpoints, ssl, secret, webserverId, Duration.ofSeconds(3), Duration.ofSeconds(10));
  }

  @Override
  public String toString() {
    return "ClusterClientSettings[" + endpoints + (sslContext == null ? " plain" : " tls") + ", webserver=" + webserverId + "]";
  }
}
