package io.gravwell.datastore.protocol.wire;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import io.gravwell.datastore.protocol.v1.ErrorCode;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import java.util.List;

/** Turns one frame body into a protobuf message; a body that does not parse is a malformed frame. */
public final class ProtobufFrameDecoder<T extends MessageLite> extends MessageToMessageDecoder<ByteBuf> {
  private final Parser<T> parser;

  public ProtobufFrameDecoder(Parser<T> parser) {
    super(ByteBuf.class);
    this.parser = parser;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf frame, List<Object> out) {
    try {
      if (frame.hasArray()) {
        out.add(parser.parseFrom(frame.array(), frame.arrayOffset() + frame.readerIndex(), frame.readableBytes()));
      } else {
        out.add(parser.parseFrom(frame.nioBuffer()));
      }
    } catch (InvalidProtocolBufferException e) {
      throw new FrameException(
          ErrorCode.MALFORMED_FRAME,
          "frame of " + frame.readableBytes() + " bytes is not a valid message: " + e.getMessage(),
          e);
    }
  }
}
