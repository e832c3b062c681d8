package io.gravwell.datastore.node.metrics;

import io.gravwell.datastore.protocol.v1.Request;
import io.gravwell.datastore.protocol.v1.Response;
import java.util.Locale;

/** Bounded label values for request metrics: the request body type and the error code, never free text. */
final class RequestLabels {
  private RequestLabels() {}

  static String op(Request request) {
    return request.getBodyCase().name().toLowerCase(Locale.ROOT);
  }

  static String result(Response response, Throwable error) {
    if (error != null) {
      return "exception";
    }
    if (response.hasError()) {
      return response.getError().getCode().name().toLowerCase(Locale.ROOT);
    }
    return "ok";
  }
}
