package io.gravwell.datastore.protocol.wire;

import io.gravwell.datastore.protocol.v1.ErrorCode;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Splits the stream into length-prefixed frames (4-byte big-endian length, then the body).
 *
 * <p>A length above the limit is reported once as a {@link FrameException} and everything after it is
 * discarded: we cannot find the next frame boundary, so the connection must be closed by the handler.
 * The limit is checked before any body byte is buffered, so an oversized frame costs no memory.
 */
public final class FrameDecoder extends ByteToMessageDecoder {
  private final int maxFrameBytes;
  private boolean broken;

  public FrameDecoder(int maxFrameBytes) {
    if (maxFrameBytes <= 0) {
      throw new IllegalArgumentException("maxFrameBytes must be positive: " + maxFrameBytes);
    }
    this.maxFrameBytes = maxFrameBytes;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (broken) {
      in.skipBytes(in.readableBytes());
      return;
    }
    if (in.readableBytes() < Frames.LENGTH_BYTES) {
      return;
    }
    long length = in.getUnsignedInt(in.readerIndex());
    if (length > maxFrameBytes) {
      broken = true;
      in.skipBytes(in.readableBytes());
      throw new FrameException(
          ErrorCode.FRAME_TOO_LARGE,
          "frame of " + length + " bytes exceeds the limit of " + maxFrameBytes + " bytes");
    }
    if (in.readableBytes() < Frames.LENGTH_BYTES + length) {
      return;
    }
    in.skipBytes(Frames.LENGTH_BYTES);
    out.add(in.readRetainedSlice((int) length));
  }
}
