package io.gravwell.datastore.webserver.http;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;

/** One shared mapper (thread-safe once configured) and parsing that tells the client what is wrong. */
public final class Json {
  public static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  /**
   * Parses a request body that must be one JSON object.
   *
   * @throws ApiException 400 naming the line and column of a syntax error, or what was sent instead
   */
  public static ObjectNode parseObject(byte[] body) {
    if (body.length == 0) {
      throw ApiException.badRequest("request body is empty; expected a JSON object");
    }
    JsonNode node;
    try {
      node = MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      throw ApiException.badRequest("bad JSON" + where(e.getLocation()) + ": " + e.getOriginalMessage());
    } catch (IOException e) {
      throw ApiException.badRequest("bad JSON: " + e.getMessage());
    }
    if (node == null || !node.isObject()) {
      throw ApiException.badRequest("expected a JSON object, got " + (node == null ? "nothing" : node.getNodeType()));
    }
    return (ObjectNode) node;
  }

  /** Parses JSON we stored ourselves; a failure here is a bug or corruption, not the client's fault. */
  public static ObjectNode storedObject(byte[] payload) {
    try {
      JsonNode node = MAPPER.readTree(payload);
      if (node instanceof ObjectNode o) {
        return o;
      }
      throw new IllegalStateException("stored payload is not a JSON object");
    } catch (IOException e) {
      throw new UncheckedIOException("stored payload is not JSON", e);
    }
  }

  public static byte[] bytes(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JsonNode always serializes", e);
    }
  }

  private static String where(JsonLocation loc) {
    return loc == null || loc.getLineNr() < 1 ? "" : " at line " + loc.getLineNr() + " column " + loc.getColumnNr();
  }
}
