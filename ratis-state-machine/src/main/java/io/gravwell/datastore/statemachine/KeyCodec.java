package io.gravwell.datastore.statemachine;

import io.gravwell.datastore.protocol.v1.ObjectKey;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Order-preserving byte encodings of store keys.
 *
 * <p>A string component is its UTF-8 bytes with every 0x00 written as 0x00 0xFF, followed by the
 * terminator 0x00 0x01. Because the terminator sorts below every escaped or ordinary byte, the unsigned
 * byte order of encoded keys is the component-wise order of (domain, kind, id), and the encoding of
 * (domain, kind) is a prefix of exactly the keys in that domain and kind: "ab" can never match a scan of
 * "a". Length prefixes would break the id order, so they are not used.
 *
 * <p>Numbers are 8 bytes big-endian with the sign bit flipped, so unsigned byte order is numeric order.
 */
final class KeyCodec {

  private static final byte ESCAPE = 0x00;
  private static final byte ESCAPED_ZERO = (byte) 0xFF;
  private static final byte TERMINATOR = 0x01;

  private KeyCodec() {}

  static byte[] objectKey(ObjectKey key) {
    return components(key.getDomain(), key.getKind(), key.getId());
  }

  static byte[] components(String... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(32);
    for (String part : parts) {
      appendComponent(out, part);
    }
    return out.toByteArray();
  }

  /** Splits an encoding made by {@link #components}; throws IllegalArgumentException if malformed. */
  static List<String> decodeComponents(byte[] encoded) {
    List<String> parts = new ArrayList<>();
    ByteArrayOutputStream current = new ByteArrayOutputStream();
    int i = 0;
    while (i < encoded.length) {
      byte b = encoded[i];
      if (b != ESCAPE) {
        current.write(b);
        i++;
        continue;
      }
      if (i + 1 >= encoded.length) {
        throw new IllegalArgumentException("truncated key component");
      }
      byte next = encoded[i + 1];
      if (next == ESCAPED_ZERO) {
        current.write(0);
      } else if (next == TERMINATOR) {
        parts.add(current.toString(StandardCharsets.UTF_8));
        current.reset();
      } else {
        throw new IllegalArgumentException("bad escape in key component");
      }
      i += 2;
    }
    if (current.size() > 0) {
      throw new IllegalArgumentException("unterminated key component");
    }
    return parts;
  }

  static byte[] number(long value) {
    long sortable = value ^ Long.MIN_VALUE;
    byte[] out = new byte[8];
    for (int i = 7; i >= 0; i--) {
      out[i] = (byte) sortable;
      sortable >>>= 8;
    }
    return out;
  }

  static long readNumber(byte[] bytes) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (bytes[i] & 0xFF);
    }
    return v ^ Long.MIN_VALUE;
  }

  /** A number followed by an encoded object key: the shape of both secondary indexes. */
  static byte[] numberThenKey(long number, byte[] objectKey) {
    byte[] out = new byte[8 + objectKey.length];
    System.arraycopy(number(number), 0, out, 0, 8);
    System.arraycopy(objectKey, 0, out, 8, objectKey.length);
    return out;
  }

  private static void appendComponent(ByteArrayOutputStream out, String part) {
    for (byte b : part.getBytes(StandardCharsets.UTF_8)) {
      if (b == 0) {
        out.write(ESCAPE);
        out.write(ESCAPED_ZERO);
      } else {
        out.write(b);
      }
    }
    out.write(ESCAPE);
    out.write(TERMINATOR);
  }
}
