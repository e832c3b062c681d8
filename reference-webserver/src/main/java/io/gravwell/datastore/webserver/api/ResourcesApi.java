package io.gravwell.datastore.webserver.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gravwell.datastore.client.WebserverSync;
import io.gravwell.datastore.client.content.ContentCorruptException;
import io.gravwell.datastore.client.content.ContentManifest;
import io.gravwell.datastore.client.content.ContentNotSyncedException;
import io.gravwell.datastore.client.content.ContentStore;
import io.gravwell.datastore.client.content.ContentTooLargeException;
import io.gravwell.datastore.config.ByteSizes;
import io.gravwell.datastore.webserver.http.ApiException;
import io.gravwell.datastore.webserver.http.ApiRequest;
import io.gravwell.datastore.webserver.http.ApiResponse;
import io.gravwell.datastore.webserver.http.Router;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resources: a metadata document (kind {@code resource}, id = guid) whose manifest fields
 * ({@link ResourceManifests}) name the current content version, stored as chunks by {@link ContentStore}.
 *
 * <p>An upload streams the request body into a new version's chunks, then points the metadata at it,
 * then deletes the old version's chunks; a download streams the chunks to the response. Neither holds
 * the content in heap, so anything up to Resource-Max-Size works.
 */
public final class ResourcesApi {
  private static final Logger LOG = LoggerFactory.getLogger(ResourcesApi.class);
  static final String KIND = "resource";

  private final WebserverSync sync;
  private final ContentStore content;
  private final long maxSize;
  // Metadata read-modify-writes of one resource (upload, update, delete) take turns, so an upload always
  // deletes the version it really replaced. Striped: a lock per guid would need cleaning up.
  private final Object[] locks = new Object[64];

  public ResourcesApi(WebserverSync sync, long resourceMaxSize) {
    this.sync = sync;
    this.content = sync.content();
    this.maxSize = resourceMaxSize;
    for (int i = 0; i < locks.length; i++) {
      locks[i] = new Object();
    }
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
    }
    synchronized (lock(guid)) {
      if (sync.get(KIND, guid).isPresent()) {
        throw new ApiException(409, "resource " + guid + " already exists");
      }
      body.put("guid", guid);
      ResourceManifests.putEmpty(body);
      sync.put(KIND, guid, StoredJson.payload(body), StoredJson.acl(body));
    }
    return ApiResponse.created(body);
  }

  private ApiResponse updateMetadata(ApiRequest r) {
    String guid = r.pathParam("guid");
    ObjectNode body = r.jsonBody();
    synchronized (lock(guid)) {
      ObjectNode old = find(guid);
      body.set("guid", old.get("guid"));
      ResourceManifests.copy(old, body);
      sync.put(KIND, guid, StoredJson.payload(body), StoredJson.acl(body));
    }
    return ApiResponse.ok(body);
  }

  private ApiResponse delete(ApiRequest r) {
    String guid = r.pathParam("guid");
    ContentManifest old;
    synchronized (lock(guid)) {
      old = ResourceManifests.of(find(guid));
      sync.delete(KIND, guid); // refused while the datastore is unreachable, before any chunk is touched
    }
    content.deleteVersion(guid, old);
    return ApiResponse.noContent();
  }

  private ApiResponse getContent(ApiRequest r) {
    String guid = r.pathParam("guid");
    ContentManifest m = ResourceManifests.of(find(guid));
    if (m.isEmpty()) {
      return ApiResponse.octets(new byte[0]);
    }
    try {
      content.checkComplete(guid, m);
    } catch (ContentNotSyncedException e) {
      throw new ApiException(503, e.getMessage());
    }
    return ApiResponse.octetStream(m.size(), out -> {
      try {
        content.transferTo(guid, m, out);
      } catch (ContentNotSyncedException | ContentCorruptException e) {
        // Headers are gone already; the server cuts the transfer short, so the client sees it fail.
        LOG.warn("resource {}: download aborted: {}", guid, e.getMessage());
        throw e;
      }
    });
  }

  private ApiResponse putContent(ApiRequest r) {
    String guid = r.pathParam("guid");
    ObjectNode meta = find(guid);
    long declared = r.contentLength().orElse(-1);
    if (declared > maxSize) {
      throw tooLarge(": " + declared + " bytes");
    }
    ContentManifest fresh;
    try {
      fresh = content.write(guid, r.bodyStream(), maxSize, StoredJson.acl(meta));
    } catch (ContentTooLargeException e) {
      throw tooLarge("");
    } catch (IOException e) {
      throw new UncheckedIOException("reading the upload of resource " + guid, e);
    }
    ContentManifest old;
    synchronized (lock(guid)) {
      meta = sync.get(KIND, guid).map(StoredJson::of).orElse(null);
      if (meta == null) {
        content.deleteVersion(guid, fresh); // deleted while uploading
        throw ApiException.notFound("resource " + guid + " was deleted during the upload");
      }
      old = ResourceManifests.of(meta);
      ResourceManifests.put(meta, fresh);
      sync.put(KIND, guid, StoredJson.payload(meta), StoredJson.acl(meta));
    }
    content.deleteVersion(guid, old);
    return ApiResponse.ok(meta);
  }

  /**
   * The content version resource {@code guid} names now, or empty when it is gone or has no content: what
   * the orphan chunk sweep keeps.
   */
  public Optional<String> currentVersion(String guid) {
    return sync.get(KIND, guid).map(StoredJson::of).map(ResourceManifests::of)
        .map(ContentManifest::version).filter(v -> !v.isEmpty());
  }

  private ApiException tooLarge(String detail) {
    return ApiException.tooLarge("resource content exceeds Resource-Max-Size (" + ByteSizes.format(maxSize) + ")"
        + detail);
  }

  private Object lock(String guid) {
    return locks[Math.floorMod(guid.hashCode(), locks.length)];
  }

  private ObjectNode find(String guid) {
    return sync.get(KIND, guid).map(StoredJson::of).orElseThrow(() -> ApiException.notFound("no resource " + guid));
  }
}
