package io.gravwell.datastore.webserver.api;

import io.gravwell.datastore.webserver.http.ApiException;
import io.gravwell.datastore.webserver.http.ApiResponse;
import io.gravwell.datastore.webserver.http.Router;
import io.gravwell.datastore.webserver.registry.LiveWebservers;

/** /api/webservers: the live fleet, and any one entry (live or not) by Webserver-UUID. */
public final class WebserversApi {
  private final LiveWebservers registry;

  public WebserversApi(LiveWebservers registry) {
    this.registry = registry;
  }

  public void register(Router router) {
    router.add("GET", "/api/webservers", r -> ApiResponse.ok(StoredJson.array(registry.live())));
    router.add("GET", "/api/webservers/{id}", r -> ApiResponse.ok(registry.find(r.pathParam("id"))
        .orElseThrow(() -> ApiException.notFound("no webserver " + r.pathParam("id")))));
  }
}
