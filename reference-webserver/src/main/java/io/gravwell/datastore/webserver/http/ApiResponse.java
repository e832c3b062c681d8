package io.gravwell.datastore.webserver.http;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a handler answers: a status, a content type and the whole body (small objects), or for large
 * content a {@link BodyWriter} that streams {@code streamLength} bytes.
 */
public record ApiResponse(int status, String contentType, byte[] body, BodyWriter stream, long streamLength) {

  public ApiResponse(int status, String contentType, byte[] body) {
    this(status, contentType, body, null, 0);
  }

  /** 200 with {@code length} octets that {@code writer} produces while the response is sent. */
  public static ApiResponse octetStream(long length, BodyWriter writer) {
    return new ApiResponse(200, "application/octet-stream", new byte[0], writer, length);
  }

  public static ApiResponse json(int status, JsonNode node) {
    return new ApiResponse(status, "application/json", Json.bytes(node));
  }

  public static ApiResponse ok(JsonNode node) {
    return json(200, node);
  }

  public static ApiResponse created(JsonNode node) {
    return json(201, node);
  }

  public static ApiResponse noContent() {
    return new ApiResponse(204, null, new byte[0]);
  }

  public static ApiResponse octets(byte[] body) {
    return new ApiResponse(200, "application/octet-stream", body);
  }

  public static ApiResponse error(int status, String message) {
    return json(status, Json.MAPPER.createObjectNode().put("error", message));
  }
}
