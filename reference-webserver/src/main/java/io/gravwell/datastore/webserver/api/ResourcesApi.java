package io.gravwell.datastore.webserver.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import io.gravwell.datastore.client.WebserverSync;
import io.gravwell.datastore.config.ByteSizes;
import io.gravwell.datastore.webserver.http.ApiException;
import io.gravwell.datastore.webserver.http.ApiRequest;
import io.gravwell.datastore.webserver.http.ApiResponse;
import io.gravwell.datastore.webserver.http.Router;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * Resources: a metadata document (kind {@code resource}, id = guid) and its content (kind
 * {@code resource_content}, same id). {@code size} and {@code hash} (SHA-256) are the server's, derived
 * from the content; a client cannot set them.
 *
 * <p>For now content is stored as one object, so it must fit one Raft entry: content above
 * {@link #SINGLE_OBJECT_LIMIT} is refused even below Resource-Max-Size, or the sync agent would push an
 * entry the datastore refuses, forever. Streaming in chunks up to Resource-Max-Size is a later increment.
 */
public final class ResourcesApi {
  static final String KIND = "resource";
  static final String CONTENT_KIND = "resource_content";
  /** Below the datastore's default Datastore-Max-Entry-Size (1 MiB), with room for the entry envelope. */
  public static final long SINGLE_OBJECT_LIMIT = 768 * ByteSizes.KIB;
  private static final List<String> SERVER_FIELDS = List.of("guid", "size", "hash");

  private final WebserverSync sync;
  private final long maxSize;

  public ResourcesApi(WebserverSync sync, long resourceMaxSize) {
    this.sync = sync;
    this.maxSize = resourceMaxSize;
  }

  public void register(Router router) {
    router.add("GET", "/api/resources", r -> ApiResponse.ok(
        StoredJson.array(sync.list(KIND).stream().map(StoredJson::of).toList())));
    router.add("POST", "/api/resources", this::create);
    router.add("GET", "/api/resources/{guid}", r -> ApiResponse.ok(find(r.pathParam("guid"))));
    router.add("PUT", "/api/resources/{guid}", this::updateMetadata);
    router.add("DELETE", "/api/resources/{guid}", this::delete);
    router.add("GET", "/api/resources/{guid}/raw", this::getContent);
    router.add("PUT", "/api/resources/{guid}/raw", this::putContent);
  }

  private ApiResponse create(ApiRequest r) {
    ObjectNode body = r.jsonBody();
    String guid = StoredJson.idField(body, "guid");
    if (guid.isEmpty()) {
      guid = UUID.randomUUID().toString();
    } else if (sync.get(KIND, guid).isPresent()) {
      throw new ApiException(409, "resource " + guid + " already exists");
    }
    body.put("guid", guid).put("size", 0).put("hash", "");
    sync.put(KIND, guid, StoredJson.payload(body), StoredJson.acl(body));
    return ApiResponse.created(body);
  }

  private ApiResponse updateMetadata(ApiRequest r) {
    String guid = r.pathParam("guid");
    ObjectNode body = r.jsonBody();
    ObjectNode old = find(guid);
    for (String f : SERVER_FIELDS) {
      body.set(f, old.get(f));
    }
    sync.put(KIND, guid, StoredJson.payload(body), StoredJson.acl(body));
    return ApiResponse.ok(body);
  }

  private ApiResponse delete(ApiRequest r) {
    String guid = r.pathParam("guid");
    find(guid);
    sync.delete(CONTENT_KIND, guid);
    sync.delete(KIND, guid);
    return ApiResponse.noContent();
  }

  private ApiResponse getContent(ApiRequest r) {
    String guid = r.pathParam("guid");
    find(guid);
    return ApiResponse.octets(sync.get(CONTENT_KIND, guid).map(o -> o.getPayload().toByteArray()).orElse(new byte[0]));
  }

  private ApiResponse putContent(ApiRequest r) {
    String guid = r.pathParam("guid");
    ObjectNode meta = find(guid);
    byte[] content = readContent(r);
    meta.put("size", content.length).put("hash", sha256(content));
    sync.put(CONTENT_KIND, guid, ByteString.copyFrom(content), StoredJson.acl(meta));
    sync.put(KIND, guid, StoredJson.payload(meta), StoredJson.acl(meta));
    return ApiResponse.ok(meta);
  }

  /** Two limits, two messages: the configured one, and this version's one-object limit below it. */
  private byte[] readContent(ApiRequest r) {
    String configured = "resource content exceeds Resource-Max-Size (" + ByteSizes.format(maxSize) + ")";
    long declared = r.contentLength().orElse(-1);
    if (declared > maxSize || maxSize <= SINGLE_OBJECT_LIMIT) {
      return r.body(maxSize, configured + (declared >= 0 ? ": " + declared + " bytes" : ""));
    }
    return r.body(SINGLE_OBJECT_LIMIT, "resource content above " + ByteSizes.format(SINGLE_OBJECT_LIMIT)
        + " is not supported yet: this version stores content as one object (chunked upload up to"
        + " Resource-Max-Size, " + ByteSizes.format(maxSize) + ", comes later)");
  }

  private ObjectNode find(String guid) {
    return sync.get(KIND, guid).map(StoredJson::of).orElseThrow(() -> ApiException.notFound("no resource " + guid));
  }

  private static String sha256(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }
}
