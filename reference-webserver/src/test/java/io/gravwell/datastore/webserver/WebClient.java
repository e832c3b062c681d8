package io.gravwell.datastore.webserver;

import com.fasterxml.jackson.databind.JsonNode;
import io.gravwell.datastore.webserver.http.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;

/** A real HTTP client against one reference webserver. */
final class WebClient {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** One answer: the status and the raw body, parsed as JSON on demand. */
  record Reply(int status, byte[] body) {
    JsonNode json() {
      try {
        return Json.MAPPER.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON: " + text(), e);
      }
    }

    String text() {
      return new String(body, java.nio.charset.StandardCharsets.UTF_8);
    }

    String error() {
      return json().path("error").asText();
    }
  }

  private final String base;

  WebClient(int port) {
    this.base = "http://127.0.0.1:" + port;
  }

  Reply get(String path) {
    return send("GET", path, BodyPublishers.noBody());
  }

  Reply post(String path, String json) {
    return send("POST", path, BodyPublishers.ofString(json));
  }

  Reply put(String path, String json) {
    return send("PUT", path, BodyPublishers.ofString(json));
  }

  Reply putBytes(String path, byte[] body) {
    return send("PUT", path, BodyPublishers.ofByteArray(body));
  }

  Reply delete(String path) {
    return send("DELETE", path, BodyPublishers.noBody());
  }

  Reply send(String method, String path, BodyPublisher body) {
    HttpRequest req = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
        .method(method, body).header("Content-Type", "application/json").build();
    try {
      var resp = HTTP.send(req, BodyHandlers.ofByteArray());
      return new Reply(resp.statusCode(), resp.body());
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + path, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
