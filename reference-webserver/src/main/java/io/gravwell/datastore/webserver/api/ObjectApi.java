package io.gravwell.datastore.webserver.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gravwell.datastore.client.WebserverSync;
import io.gravwell.datastore.webserver.http.ApiException;
import io.gravwell.datastore.webserver.http.ApiRequest;
import io.gravwell.datastore.webserver.http.ApiResponse;
import io.gravwell.datastore.webserver.http.Router;
import java.util.UUID;

/**
 * List / create / get / replace / delete for one kind whose objects are plain JSON documents (users,
 * groups, dashboards). The id is the client's {@code id} field or a random UUID, and is always written
 * back into the stored document.
 */
public final class ObjectApi {
  private final WebserverSync sync;
  private final String kind;
  private final String noun;

  public ObjectApi(WebserverSync sync, String kind, String noun) {
    this.sync = sync;
    this.kind = kind;
    this.noun = noun;
  }

  public void register(Router router, String base) {
    router.add("GET", base, r -> list());
    router.add("POST", base, this::create);
    router.add("GET", base + "/{id}", r -> ApiResponse.ok(find(r.pathParam("id"))));
    router.add("PUT", base + "/{id}", this::replace);
    router.add("DELETE", base + "/{id}", this::delete);
  }

  private ApiResponse list() {
    return ApiResponse.ok(StoredJson.array(sync.list(kind).stream().map(StoredJson::of).toList()));
  }

  private ApiResponse create(ApiRequest r) {
    ObjectNode body = r.jsonBody();
    String id = StoredJson.idField(body, "id");
    if (id.isEmpty()) {
      id = UUID.randomUUID().toString();
    } else if (sync.get(kind, id).isPresent()) {
      throw new ApiException(409, noun + " " + id + " already exists");
    }
    body.put("id", id);
    sync.put(kind, id, StoredJson.payload(body), StoredJson.acl(body));
    return ApiResponse.created(body);
  }

  private ApiResponse replace(ApiRequest r) {
    String id = r.pathParam("id");
    ObjectNode body = r.jsonBody();
    String given = StoredJson.idField(body, "id");
    if (!given.isEmpty() && !given.equals(id)) {
      throw ApiException.badRequest("field \"id\" (" + given + ") does not match the path (" + id + ")");
    }
    find(id);
    body.put("id", id);
    sync.put(kind, id, StoredJson.payload(body), StoredJson.acl(body));
    return ApiResponse.ok(body);
  }

  private ApiResponse delete(ApiRequest r) {
    String id = r.pathParam("id");
    if (!sync.delete(kind, id)) {
      throw ApiException.notFound("no " + noun + " " + id);
    }
    return ApiResponse.noContent();
  }

  private ObjectNode find(String id) {
    return sync.get(kind, id).map(StoredJson::of).orElseThrow(() -> ApiException.notFound("no " + noun + " " + id));
  }
}
