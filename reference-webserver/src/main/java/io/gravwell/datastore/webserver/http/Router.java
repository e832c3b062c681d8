package io.gravwell.datastore.webserver.http;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Matches METHOD + path against patterns such as {@code /api/users/{id}/preferences}. Segments match
 * literally or bind a parameter; a path that matches a pattern under another method answers 405, not 404,
 * so a client learns it used the wrong verb.
 */
public final class Router {

  /** A resolved request: the handler and the path parameters it bound. */
  public record Match(Handler handler, Map<String, String> params) {}

  private record Route(String[] segments, Map<String, Handler> byMethod) {
    Optional<Map<String, String>> bind(String[] path) {
      if (path.length != segments.length) {
        return Optional.empty();
      }
      Map<String, String> params = new HashMap<>();
      for (int i = 0; i < path.length; i++) {
        String s = segments[i];
        if (s.startsWith("{") && s.endsWith("}")) {
          if (path[i].isEmpty()) {
            return Optional.empty();
          }
          params.put(s.substring(1, s.length() - 1), path[i]);
        } else if (!s.equals(path[i])) {
          return Optional.empty();
        }
      }
      return Optional.of(params);
    }
  }

  private final Map<String, Route> routes = new LinkedHashMap<>();

  public Router add(String method, String pattern, Handler handler) {
    routes.computeIfAbsent(pattern, p -> new Route(split(p), new HashMap<>())).byMethod().put(method, handler);
    return this;
  }

  /**
   * @throws ApiException 404 for an unknown path, 405 for a known path with another method
   */
  public Match resolve(String method, String rawPath) {
    String[] path = split(rawPath);
    List<String> allowed = new ArrayList<>();
    for (Route route : routes.values()) {
      Optional<Map<String, String>> params = route.bind(path);
      if (params.isEmpty()) {
        continue;
      }
      Handler h = route.byMethod().get(method);
      if (h != null) {
        return new Match(h, params.get());
      }
      allowed.addAll(route.byMethod().keySet());
    }
    if (!allowed.isEmpty()) {
      throw new ApiException(405, "method " + method + " not allowed on " + rawPath + "; allowed: " + allowed);
    }
    throw ApiException.notFound("no such endpoint: " + rawPath);
  }

  private static String[] split(String path) {
    String p = path.startsWith("/") ? path.substring(1) : path;
    if (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p.split("/", -1);
  }
}
