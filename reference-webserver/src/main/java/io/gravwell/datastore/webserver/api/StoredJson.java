package io.gravwell.datastore.webserver.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import io.gravwell.datastore.protocol.v1.Acl;
import io.gravwell.datastore.protocol.v1.StoredObject;
import io.gravwell.datastore.webserver.http.ApiException;
import io.gravwell.datastore.webserver.http.Json;
import java.util.Collection;
import java.util.regex.Pattern;

/**
 * Objects travel as their JSON bytes in the payload (the datastore never parses them). The ACL the
 * datastore keeps next to the payload is read from the same JSON: {@code owner} (uid), {@code groups}
 * (gids) and {@code global}.
 */
public final class StoredJson {
  /** Ids become path segments and key components: keep them printable and slash-free. */
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:@-]{1,128}");

  private StoredJson() {}

  public static ObjectNode of(StoredObject o) {
    return Json.storedObject(o.getPayload().toByteArray());
  }

  public static ByteString payload(ObjectNode node) {
    return ByteString.copyFrom(Json.bytes(node));
  }

  public static ArrayNode array(Collection<ObjectNode> nodes) {
    ArrayNode out = Json.MAPPER.createArrayNode();
    nodes.forEach(out::add);
    return out;
  }

  /** The id a client chose in field {@code field}, as text; empty if it chose none. */
  public static String idField(ObjectNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return "";
    }
    if (!v.isTextual() && !v.isIntegralNumber()) {
      throw ApiException.badRequest("field \"" + field + "\" must be a string or an integer");
    }
    return checkId(v.asText(), field);
  }

  public static String checkId(String id, String what) {
    if (!ID.matcher(id).matches()) {
      throw ApiException.badRequest(what + " must be 1-128 letters, digits or . _ : @ -");
    }
    return id;
  }

  /** The ACL named in the object; fields that are absent stay at their defaults. */
  public static Acl acl(ObjectNode body) {
    Acl.Builder acl = Acl.newBuilder();
    JsonNode owner = body.get("owner");
    if (owner != null && !owner.isNull()) {
      acl.setOwnerUid(uint(owner, "owner"));
    }
    JsonNode groups = body.get("groups");
    if (groups != null && !groups.isNull()) {
      if (!groups.isArray()) {
        throw ApiException.badRequest("field \"groups\" must be an array of group ids");
      }
      groups.forEach(g -> acl.addGids(uint(g, "groups[]")));
    }
    JsonNode global = body.get("global");
    if (global != null && !global.isNull()) {
      if (!global.isBoolean()) {
        throw ApiException.badRequest("field \"global\" must be true or false");
      }
      acl.setGlobal(global.asBoolean());
    }
    return acl.build();
  }

  private static int uint(JsonNode n, String field) {
    if (!n.canConvertToInt() || !n.isIntegralNumber() || n.asInt() < 0) {
      throw ApiException.badRequest("field \"" + field + "\" must be a non-negative integer");
    }
    return n.asInt();
  }
}
