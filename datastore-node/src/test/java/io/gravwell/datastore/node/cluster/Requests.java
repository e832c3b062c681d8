package io.gravwell.datastore.node.cluster;

import com.google.protobuf.ByteString;
import io.gravwell.datastore.protocol.v1.Get;
import io.gravwell.datastore.protocol.v1.ObjectKey;
import io.gravwell.datastore.protocol.v1.Put;
import io.gravwell.datastore.protocol.v1.ReadConsistency;
import io.gravwell.datastore.protocol.v1.ReadOptions;
import io.gravwell.datastore.protocol.v1.Request;
import io.gravwell.datastore.protocol.v1.StoredObject;
import java.nio.charset.StandardCharsets;

/** Terse builders for the requests tests send. */
public final class Requests {
  public static final String DOMAIN = "test";

  private Requests() {}

  public static ObjectKey key(String kind, String id) {
    return ObjectKey.newBuilder().setDomain(DOMAIN).setKind(kind).setId(id).build();
  }

  public static Request.Builder put(String kind, String id, String value) {
    return put(kind, id, value.getBytes(StandardCharsets.UTF_8));
  }

  public static Request.Builder put(String kind, String id, byte[] value) {
    return Request.newBuilder().setPut(Put.newBuilder().setObject(StoredObject.newBuilder()
        .setKey(key(kind, id))
        .setPayload(ByteString.copyFrom(value))
        .setOrigin("test")));
  }

  public static Request.Builder get(String kind, String id) {
    return Request.newBuilder().setGet(Get.newBuilder().setKey(key(kind, id)));
  }

  public static Request.Builder getAtLeast(String kind, String id, long minRevision) {
    return Request.newBuilder().setGet(Get.newBuilder().setKey(key(kind, id))
        .setRead(ReadOptions.newBuilder().setConsistency(ReadConsistency.AT_LEAST).setMinRevision(minRevision)));
  }

  public static String text(StoredObject o) {
    return o.getPayload().toString(StandardCharsets.UTF_8);
  }
}
