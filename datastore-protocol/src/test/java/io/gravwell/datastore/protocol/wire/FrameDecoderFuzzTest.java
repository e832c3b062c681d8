package io.gravwell.datastore.protocol.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import io.gravwell.datastore.protocol.v1.Request;
import io.gravwell.datastore.protocol.v1.Response;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import org.junit.jupiter.api.Test;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Arbitrary bytes into the inbound decoders of both ends (the node reads Requests, the client reads
 * Responses). Whatever arrives, the only failure is a {@link FrameException} inside Netty's
 * DecoderException, the decoded messages do not depend on how the bytes were split into reads, and no
 * buffer is leaked.
 */
class FrameDecoderFuzzTest {

  @FuzzTest
  void requestStream(byte[] input) {
    checkStream(input, Request.parser());
  }

  @FuzzTest
  void responseStream(byte[] input) {
    checkStream(input, Response.parser());
  }

  /** Guards the seed layout: the checked-in seed really is a Hello and a Ping in two frames. */
  @Test
  void seedLayoutDecodesAsIntended() throws Exception {
    byte[] seed;
    try (InputStream in = getClass().getResourceAsStream("FrameDecoderFuzzTestInputs/requestStream/hello-then-ping")) {
      seed = in.readAllBytes();
    }
    ByteBuf header = Unpooled.wrappedBuffer(seed, 0, 3);
    assertThat(header.readUnsignedShort() + 1).isEqualTo(4096);
    Outcome out = decode(Request.parser(), 4096, java.util.Arrays.copyOfRange(seed, 3, seed.length), new int[0]);
    assertThat(out.failure()).isNull();
    assertThat(out.messages()).extracting(m -> ((Request) m).getBodyCase())
        .containsExactly(Request.BodyCase.HELLO, Request.BodyCase.PING);
  }

  /**
   * The input is a small header, then the byte stream: two bytes for the frame limit minus one, one byte
   * for the number of extra read boundaries (at most 8), one byte per boundary for the length of that
   * read. A plain layout so that seed files can be written by hand.
   */
  private static <T extends MessageLite> void checkStream(byte[] input, Parser<T> parser) {
    ByteBuf in = Unpooled.wrappedBuffer(input);
    if (in.readableBytes() < 3) {
      return;
    }
    int maxFrame = in.readUnsignedShort() + 1;
    int[] cuts = new int[Math.min(in.readUnsignedByte() % 9, in.readableBytes())];
    for (int i = 0; i < cuts.length; i++) {
      cuts[i] = in.readUnsignedByte();
    }
    byte[] stream = new byte[in.readableBytes()];
    in.readBytes(stream);

    Outcome whole = decode(parser, maxFrame, stream, new int[0]);
    Outcome pieces = decode(parser, maxFrame, stream, cuts);
    assertThat(pieces.messages).as("messages do not depend on read boundaries").isEqualTo(whole.messages);
    assertThat(pieces.failure == null).isEqualTo(whole.failure == null);
  }

  /** What one connection decoded before it failed (the handler closes it at the first failure). */
  private record Outcome(List<MessageLite> messages, FrameException failure) {}

  private static <T extends MessageLite> Outcome decode(Parser<T> parser, int maxFrame, byte[] stream, int[] cuts) {
    List<MessageLite> messages = new ArrayList<>();
    List<Throwable> failures = new ArrayList<>();
    EmbeddedChannel ch = new EmbeddedChannel(
        new FrameDecoder(maxFrame),
        new ProtobufFrameDecoder<>(parser),
        new ChannelInboundHandlerAdapter() {
          @Override
          public void channelRead(ChannelHandlerContext ctx, Object msg) {
            // Frames after a failure may still be in the same read; the connection is closing by then.
            if (failures.isEmpty()) {
              messages.add((MessageLite) msg);
            }
          }

          @Override
          public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            failures.add(cause);
            ctx.close();
          }
        });
    List<ByteBuf> reads = new ArrayList<>();
    int at = 0;
    for (int cut : cuts) {
      int n = Math.min(cut, stream.length - at);
      if (!ch.isOpen() || n == 0) {
        continue;
      }
      reads.add(feed(ch, stream, at, n));
      at += n;
    }
    if (ch.isOpen() && at < stream.length) {
      reads.add(feed(ch, stream, at, stream.length - at));
    }
    ch.finishAndReleaseAll();
    for (ByteBuf read : reads) {
      assertThat(read.refCnt()).as("every read buffer is released").isZero();
    }
    FrameException failure = null;
    for (Throwable t : failures) {
      assertThat(t).isInstanceOf(DecoderException.class).hasCauseInstanceOf(FrameException.class);
      failure = failure == null ? (FrameException) t.getCause() : failure;
      assertThat(failure.getMessage()).isNotBlank();
    }
    return new Outcome(messages, failure);
  }

  private static ByteBuf feed(EmbeddedChannel ch, byte[] stream, int from, int length) {
    ByteBuf buf = Unpooled.copiedBuffer(stream, from, length);
    ch.writeInbound(buf);
    return buf;
  }
}
