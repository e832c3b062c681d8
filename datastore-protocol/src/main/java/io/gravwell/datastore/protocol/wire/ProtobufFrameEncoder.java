package io.gravwell.datastore.protocol.wire;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.MessageLite;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import java.io.IOException;
import java.nio.ByteBuffer;

/** Writes a message as one length-prefixed frame, serializing straight into the outbound buffer. */
@ChannelHandler.Sharable
public final class ProtobufFrameEncoder extends MessageToByteEncoder<MessageLite> {
  public ProtobufFrameEncoder() {
    super(MessageLite.class);
  }

  @Override
  protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, MessageLite msg, boolean preferDirect) {
    return ctx.alloc().ioBuffer(Frames.LENGTH_BYTES + msg.getSerializedSize());
  }

  @Override
  protected void encode(ChannelHandlerContext ctx, MessageLite msg, ByteBuf out) throws IOException {
    int size = msg.getSerializedSize();
    out.writeInt(size);
    ByteBuffer target = out.nioBuffer(out.writerIndex(), size);
    CodedOutputStream cos = CodedOutputStream.newInstance(target);
    msg.writeTo(cos);
    cos.checkNoSpaceLeft();
    out.writerIndex(out.writerIndex() + size);
  }
}
