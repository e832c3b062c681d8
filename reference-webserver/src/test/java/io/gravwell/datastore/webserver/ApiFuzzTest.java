package io.gravwell.datastore.webserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import io.gravwell.datastore.webserver.http.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * Arbitrary requests to a real reference webserver in degraded mode (its datastore is a closed port, as in
 * {@link StandaloneApiTest}): any method, path, query and body is answered within the timeout, never with
 * a 500, and every refusal is a JSON {"error": ...} that says what is wrong. 503 is the one 5xx allowed:
 * it is the answer to a delete while the datastore is unreachable.
 */
class ApiFuzzTest {
  private static final String[] METHODS = {"GET", "POST", "PUT", "DELETE", "PATCH"};
  private static final String[] ROUTES = {
      "/api/users", "/api/users/%s", "/api/users/%s/preferences", "/api/groups", "/api/groups/%s",
      "/api/dashboards", "/api/dashboards/%s", "/api/searchhistory", "/api/resources", "/api/resources/%s",
      "/api/resources/%s/raw", "/api/webservers", "/api/webservers/%s", "/health", "/metrics"};
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir
  static Path dir;

  private static ReferenceWebserver server;

  @BeforeAll
  static void start() throws IOException {
    String conf = "[Global]\nDatastore=127.0.0.1:1\nControl-Auth=x\nDatastore-Insecure-Disable-TLS=true\n"
        + "Webserver-UUID=" + UUID.randomUUID() + "\nDatastore-Update-Interval=1s\nWeb-Port=0\n"
        + "Web-Listen-Address=127.0.0.1\nResource-Max-Size=4KiB\nWebserver-Data-Dir=" + dir.resolve("data") + "\n";
    server = new ReferenceWebserver(WebserverConfig.parse(conf, "fuzz.conf", Map.of()), Clock.systemUTC()).start();
  }

  @AfterAll
  static void stop() {
    server.stop();
  }

  @FuzzTest
  void request(FuzzedDataProvider data) throws Exception {
    String method = data.pickValue(METHODS);
    String path = data.consumeBoolean()
        ? String.format(data.pickValue(ROUTES), data.consumeString(40))
        : "/" + data.consumeString(80);
    String query = data.consumeBoolean() ? data.consumeString(60) : null;
    byte[] body = data.consumeRemainingAsBytes();
    URI uri;
    try {
      uri = new URI("http", null, "127.0.0.1", server.port(), path, query, null);
    } catch (URISyntaxException notSendable) {
      return; // the HTTP client cannot send it, so no server ever sees it
    }
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json");
    try {
      request.method(method, body.length == 0 ? BodyPublishers.noBody() : BodyPublishers.ofByteArray(body));
    } catch (IllegalArgumentException notSendable) {
      return;
    }
    HttpResponse<byte[]> response = HTTP.send(request.build(), BodyHandlers.ofByteArray());
    int status = response.statusCode();
    String what = method + " " + uri.getRawPath() + " -> " + status + " " + new String(response.body());
    assertThat(status).as(what).isNotEqualTo(500).isBetween(200, 503);
    if (status >= 400 && response.headers().firstValue("Content-Type").orElse("").startsWith("application/json")) {
      JsonNode error = Json.MAPPER.readTree(response.body());
      assertThat(error.path("error").asText()).as(what).isNotBlank();
    } else {
      assertThat(status).as("a refusal that is not our JSON error: %s", what).isLessThan(400);
    }
  }
}
