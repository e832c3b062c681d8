package io.gravwell.datastore.webserver.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/** One request as a handler sees it: path parameters from the route, the query, and a size-bounded body. */
public final class ApiRequest {
  /** JSON bodies are small objects; anything bigger is a mistake or an attack, not a dashboard. */
  public static final int MAX_JSON_BODY = 1024 * 1024;

  private final HttpExchange exchange;
  private final Map<String, String> pathParams;
  private final Map<String, String> query;

  ApiRequest(HttpExchange exchange, Map<String, String> pathParams) {
    this.exchange = exchange;
    this.pathParams = pathParams;
    this.query = parseQuery(exchange.getRequestURI().getRawQuery());
  }

  public String pathParam(String name) {
    String v = pathParams.get(name);
    if (v == null) {
      throw new IllegalStateException("route has no parameter " + name);
    }
    return v;
  }

  public Optional<String> queryParam(String name) {
    return Optional.ofNullable(query.get(name)).filter(s -> !s.isEmpty());
  }

  public ObjectNode jsonBody() {
    return Json.parseObject(body(MAX_JSON_BODY, "JSON body exceeds the limit of " + MAX_JSON_BODY + " bytes"));
  }

  /** The Content-Length the client declared, if any (absent for chunked uploads). */
  public OptionalLong contentLength() {
    String declared = exchange.getRequestHeaders().getFirst("Content-Length");
    if (declared == null) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(declared.trim()));
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("Content-Length is not a number");
    }
  }

  /**
   * Reads the whole body, refusing with 413 and {@code tooLarge} as soon as it is known to exceed
   * {@code limit}: from Content-Length before reading anything, or after reading one byte too many.
   */
  public byte[] body(long limit, String tooLarge) {
    if (contentLength().orElse(0) > limit) {
      throw ApiException.tooLarge(tooLarge);
    }
    // Not closed here: after a refusal the server drains what is left (see ApiServer), and closing the
    // exchange closes the stream.
    InputStream in = exchange.getRequestBody();
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[64 * 1024];
      long total = 0;
      int n;
      while ((n = in.read(buf)) > 0) {
        total += n;
        if (total > limit) {
          throw ApiException.tooLarge(tooLarge);
        }
        out.write(buf, 0, n);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The body as a stream, for content read piece by piece rather than whole. The caller enforces its own
   * size limit while reading (a declared Content-Length can be checked first with {@link #contentLength}).
   * Not to be closed: after a refusal the server drains what is left.
   */
  public InputStream bodyStream() {
    return exchange.getRequestBody();
  }

  private static Map<String, String> parseQuery(String raw) {
    Map<String, String> out = new HashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      try {
        out.putIfAbsent(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw ApiException.badRequest("malformed query string");
      }
    }
    return out;
  }
}
