package io.gravwell.datastore.webserver.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gravwell.datastore.client.DatastoreUnavailableException;
import io.gravwell.datastore.client.WebserverSync;
import io.gravwell.datastore.protocol.v1.StoredObject;
import io.gravwell.datastore.webserver.http.ApiException;
import io.gravwell.datastore.webserver.http.ApiRequest;
import io.gravwell.datastore.webserver.http.ApiResponse;
import io.gravwell.datastore.webserver.http.Router;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-user search history (kind {@code search_history}). Ids are {@code uid:launched_ms:random}, so
 * entries are unique across webservers and sort by time within a user. After each addition the
 * entries beyond the newest Max-Search-History of that user are deleted through the facade; while the
 * datastore is unreachable deletes are refused, so trimming waits for the next addition, and reads show
 * only the newest entries meanwhile.
 */
public final class SearchHistoryApi {
  private static final Logger LOG = LoggerFactory.getLogger(SearchHistoryApi.class);
  private static final String KIND = "search_history";
  // Newest first; ties (same millisecond) broken by id so every webserver trims the same entries.
  private static final Comparator<ObjectNode> NEWEST_FIRST = Comparator
      .comparingLong((ObjectNode n) -> n.path("launched_ms").asLong())
      .thenComparing(n -> n.path("id").asText())
      .reversed();

  private final WebserverSync sync;
  private final Clock clock;
  private final int max;

  public SearchHistoryApi(WebserverSync sync, Clock clock, int maxPerUser) {
    this.sync = sync;
    this.clock = clock;
    this.max = maxPerUser;
  }

  public void register(Router router) {
    router.add("GET", "/api/searchhistory", this::list);
    router.add("POST", "/api/searchhistory", this::add);
  }

  private ApiResponse list(ApiRequest r) {
    String uid = StoredJson.checkId(r.queryParam("user")
        .orElseThrow(() -> ApiException.badRequest("query parameter \"user\" is required")), "user");
    List<ObjectNode> entries = entriesOf(uid);
    return ApiResponse.ok(StoredJson.array(entries.subList(0, Math.min(max, entries.size()))));
  }

  private ApiResponse add(ApiRequest r) {
    ObjectNode body = r.jsonBody();
    String uid = StoredJson.idField(body, "user");
    if (uid.isEmpty()) {
      throw ApiException.badRequest("field \"user\" is required");
    }
    if (!body.path("query").isTextual()) {
      throw ApiException.badRequest("field \"query\" must be a string");
    }
    long now = clock.millis();
    String id = uid + ":" + String.format("%013d", now) + ":" + Long.toHexString(ThreadLocalRandom.current().nextLong());
    body.put("id", id).put("user", uid).put("launched_ms", now);
    sync.put(KIND, id, StoredJson.payload(body), StoredJson.acl(body));
    trim(uid);
    return ApiResponse.created(body);
  }

  private void trim(String uid) {
    List<ObjectNode> entries = entriesOf(uid);
    try {
      for (ObjectNode old : entries.subList(Math.min(max, entries.size()), entries.size())) {
        sync.delete(KIND, old.path("id").asText());
      }
    } catch (DatastoreUnavailableException e) {
      LOG.debug("search history of {} trimmed later: {}", uid, e.getMessage());
    }
  }

  private List<ObjectNode> entriesOf(String uid) {
    List<ObjectNode> out = new ArrayList<>();
    String prefix = uid + ":";
    for (StoredObject o : sync.list(KIND)) {
      // The prefix is a cheap filter; the field settles ids that themselves contain ':'.
      if (o.getKey().getId().startsWith(prefix)) {
        ObjectNode n = StoredJson.of(o);
        if (uid.equals(n.path("user").asText())) {
          out.add(n);
        }
      }
    }
    out.sort(NEWEST_FIRST);
    return out;
  }
}
