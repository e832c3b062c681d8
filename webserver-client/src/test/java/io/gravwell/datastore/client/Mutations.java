package io.gravwell.datastore.client;

import com.google.protobuf.ByteString;
import io.gravwell.datastore.protocol.v1.Mutation;
import io.gravwell.datastore.protocol.v1.ObjectKey;
import io.gravwell.datastore.protocol.v1.Put;
import io.gravwell.datastore.protocol.v1.StoredObject;

/** Terse mutations for writing straight into a replica, as another fleet would. */
public final class Mutations {

  private Mutations() {}

  public static Mutation put(String domain, String kind, String id, String payload, long updatedMs, String origin) {
    return Mutation.newBuilder()
        .setPut(Put.newBuilder().setObject(StoredObject.newBuilder()
            .setKey(ObjectKey.newBuilder().setDomain(domain).setKind(kind).setId(id))
            .setPayload(ByteString.copyFromUtf8(payload))
            .setUpdatedMs(updatedMs)
            .setOrigin(origin)))
        .build();
  }
}
