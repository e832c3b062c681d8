package io.gravwell.datastore.chaos.workload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gravwell.datastore.chaos.cluster.WebserverContainer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The reference webserver's REST API, as the sync workload uses it. */
final class WebClient {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
  private final WebserverContainer web;

  record Reply(int status, String body) {
    boolean ok() {
      return status / 100 == 2;
    }
  }

  WebClient(WebserverContainer web) {
    this.web = web;
  }

  WebserverContainer webserver() {
    return web;
  }

  /** Throws IOException when the request's outcome is unknown (no answer). */
  Reply send(String method, String path, String body) throws IOException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(web.base() + path)).timeout(Duration.ofSeconds(10));
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    try {
      HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Reply(r.statusCode(), r.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  JsonNode getJson(String path) throws IOException {
    Reply r = send("GET", path, null);
    if (!r.ok()) {
      throw new IOException(web + " " + path + " answered " + r.status() + ": " + r.body());
    }
    return JSON.readTree(r.body());
  }

  /** A counter from /metrics (Prometheus text), e.g. datastore_client_reseeds_total. */
  long counter(String name) throws IOException {
    Reply r = send("GET", "/metrics", null);
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(?:\\{[^}]*\\})? ([0-9.eE+-]+)$").matcher(r.body());
    if (!m.find()) {
      throw new IOException(web + " /metrics has no " + name);
    }
    return (long) Double.parseDouble(m.group(1));
  }
}
