package io.gravwell.datastore.client.store;

import com.google.protobuf.InvalidProtocolBufferException;
import io.gravwell.datastore.protocol.v1.StoredObject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Value encodings of the local store. A record is: format byte, flags byte (bit 0 = dirty), the synced
 * revision (8 bytes), then the StoredObject's protobuf bytes. The format byte lets a later version change
 * the layout without guessing.
 */
final class LocalRecords {

  private static final byte FORMAT = 1;
  private static final int HEADER = 10;

  private LocalRecords() {}

  static byte[] encode(LocalObject o) {
    byte[] object = o.object().toByteArray();
    return ByteBuffer.allocate(HEADER + object.length)
        .put(FORMAT)
        .put((byte) (o.dirty() ? 1 : 0))
        .putLong(o.syncedRevision())
        .put(object)
        .array();
  }

  static LocalObject decode(byte[] bytes) {
    ByteBuffer in = ByteBuffer.wrap(bytes);
    byte format = in.get();
    if (format != FORMAT) {
      throw new IllegalStateException("local record has unknown format " + format);
    }
    boolean dirty = (in.get() & 1) != 0;
    long syncedRevision = in.getLong();
    try {
      StoredObject object = StoredObject.parseFrom(ByteBuffer.wrap(bytes, HEADER, bytes.length - HEADER));
      return new LocalObject(object, syncedRevision, dirty);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("corrupt local record", e);
    }
  }

  static byte[] encode(SyncCheckpoint c) {
    byte[] id = c.clusterId().getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(1 + 16 + id.length)
        .put(FORMAT)
        .putLong(c.incarnation())
        .putLong(c.revision())
        .put(id)
        .array();
  }

  static SyncCheckpoint decodeCheckpoint(byte[] bytes) {
    ByteBuffer in = ByteBuffer.wrap(bytes);
    byte format = in.get();
    if (format != FORMAT) {
      throw new IllegalStateException("checkpoint has unknown format " + format);
    }
    long incarnation = in.getLong();
    long revision = in.getLong();
    byte[] id = new byte[in.remaining()];
    in.get(id);
    return new SyncCheckpoint(new String(id, StandardCharsets.UTF_8), incarnation, revision);
  }
}
