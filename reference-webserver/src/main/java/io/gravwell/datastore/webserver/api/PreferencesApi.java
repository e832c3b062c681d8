package io.gravwell.datastore.webserver.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gravwell.datastore.client.WebserverSync;
import io.gravwell.datastore.protocol.v1.Acl;
import io.gravwell.datastore.webserver.http.ApiException;
import io.gravwell.datastore.webserver.http.ApiRequest;
import io.gravwell.datastore.webserver.http.ApiResponse;
import io.gravwell.datastore.webserver.http.Json;
import io.gravwell.datastore.webserver.http.Router;

/**
 * One preferences document per user (kind {@code preference}, id = the user's id). A user without saved
 * preferences has an empty document, as upstream answers; an unknown user is a 404.
 */
public final class PreferencesApi {
  private static final String KIND = "preference";
  private final WebserverSync sync;

  public PreferencesApi(WebserverSync sync) {
    this.sync = sync;
  }

  public void register(Router router) {
    router.add("GET", "/api/users/{id}/preferences", this::get);
    router.add("PUT", "/api/users/{id}/preferences", this::put);
  }

  private ApiResponse get(ApiRequest r) {
    String uid = existingUser(r);
    return ApiResponse.ok(sync.get(KIND, uid).map(StoredJson::of).orElseGet(Json.MAPPER::createObjectNode));
  }

  private ApiResponse put(ApiRequest r) {
    String uid = existingUser(r);
    ObjectNode body = r.jsonBody();
    // Preferences are the user's own: the ACL is derived from the path, never from the document.
    Acl acl = uid.chars().allMatch(Character::isDigit) && uid.length() < 10
        ? Acl.newBuilder().setOwnerUid(Integer.parseInt(uid)).build()
        : Acl.getDefaultInstance();
    sync.put(KIND, uid, StoredJson.payload(body), acl);
    return ApiResponse.ok(body);
  }

  private String existingUser(ApiRequest r) {
    String uid = r.pathParam("id");
    if (sync.get("user", uid).isEmpty()) {
      throw ApiException.notFound("no user " + uid);
    }
    return uid;
  }
}
