package io.gravwell.datastore.node.net;

import io.gravwell.datastore.config.Secret;
import static org.assertj.core.api.Assertions.assertThat;

import io.gravwell.datastore.protocol.v1.ErrorCode;
import io.gravwell.datastore.protocol.v1.Hello;
import io.gravwell.datastore.protocol.v1.HelloResult;
import io.gravwell.datastore.protocol.v1.Identity;
import io.gravwell.datastore.protocol.v1.Ping;
import io.gravwell.datastore.protocol.v1.Pong;
import io.gravwell.datastore.protocol.v1.Request;
import io.gravwell.datastore.protocol.v1.Response;
import io.gravwell.datastore.protocol.wire.FrameDecoder;
import io.gravwell.datastore.protocol.wire.Frames;
import io.gravwell.datastore.protocol.wire.ProtobufFrameDecoder;
import io.gravwell.datastore.protocol.wire.ProtobufFrameEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The client-port pipeline without a socket: framing, Hello, auth and error frames. */
class ClientSessionHandlerTest {
  private static final int MAX_FRAME = 1024;
  private final List<ErrorCode> rejections = new ArrayList<>();
  private final List<Request> handled = new ArrayList<>();

  /** Answers every request with a Pong; stands in for Raft, which this test is not about. */
  private final RequestService service = new RequestService() {
    @Override
    public HelloResult describe() {
      return HelloResult.newBuilder().setNodeId("n1").build();
    }

    @Override
    public Identity identity() {
      return Identity.newBuilder().setClusterId("c1").setIncarnation(1).build();
    }

    @Override
    public AutoCloseable watch(long afterRevision, java.util.function.Consumer<Response> sink) {
      return () -> {};
    }

    @Override
    public CompletableFuture<Response> handle(Request request) {
      handled.add(request);
      return CompletableFuture.completedFuture(Response.newBuilder().setPong(Pong.getDefaultInstance()).build());
    }
  };

  private EmbeddedChannel channel() {
    return new EmbeddedChannel(
        new FrameDecoder(MAX_FRAME),
        new ProtobufFrameDecoder<>(Request.parser()),
        new ProtobufFrameEncoder(),
        new ClientSessionHandler(new Secret("s3cret-right"), service, rejections::add));
  }

  private static ByteBuf frame(Request r) {
    byte[] body = r.toByteArray();
    return Unpooled.buffer().writeInt(body.length).writeBytes(body);
  }

  private static Request hello(long id, String secret) {
    return Request.newBuilder().setId(id)
        .setHello(Hello.newBuilder().setProtocolVersion(Frames.PROTOCOL_VERSION).setSecret(secret).setWebserverId("ws1"))
        .build();
  }

  private static Response read(EmbeddedChannel ch) throws Exception {
    ByteBuf out = ch.readOutbound();
    assertThat(out).as("a response frame").isNotNull();
    try {
      int len = out.readInt();
      assertThat(out.readableBytes()).isEqualTo(len);
      byte[] body = new byte[len];
      out.readBytes(body);
      return Response.parseFrom(body);
    } finally {
      out.release();
    }
  }

  @Test
  void helloWithTheRightSecretThenPipelinedRequests() throws Exception {
    EmbeddedChannel ch = channel();
    ch.writeInbound(frame(hello(1, "s3cret-right")));
    Response hello = read(ch);
    assertThat(hello.getId()).isEqualTo(1);
    assertThat(hello.getHello().getNodeId()).isEqualTo("n1");
    assertThat(hello.getIdentity().getClusterId()).isEqualTo("c1");

    // Two requests in one TCP read, split across buffer boundaries.
    ByteBuf both = Unpooled.buffer()
        .writeBytes(frame(Request.newBuilder().setId(7).setPing(Ping.getDefaultInstance()).build()))
        .writeBytes(frame(Request.newBuilder().setId(8).setPing(Ping.getDefaultInstance()).build()));
    ch.writeInbound(both.readRetainedSlice(5));
    ch.writeInbound(both);
    assertThat(read(ch).getId()).isEqualTo(7);
    assertThat(read(ch).getId()).isEqualTo(8);
    assertThat(ch.isOpen()).isTrue();
    assertThat(handled).hasSize(2);
  }

  @Test
  void wrongSecretIsRejectedWithItsOwnCodeAndCloses() throws Exception {
    EmbeddedChannel ch = channel();
    ch.writeInbound(frame(hello(1, "guess-x")));
    Response r = read(ch);
    assertThat(r.getError().getCode()).isEqualTo(ErrorCode.AUTH_FAILED);
    assertThat(r.getError().getMessage()).doesNotContain("guess-x").doesNotContain("s3cret-right");
    assertThat(ch.isOpen()).isFalse();
    assertThat(rejections).containsExactly(ErrorCode.AUTH_FAILED);
  }

  @Test
  void requestsBeforeHelloAreRefused() throws Exception {
    EmbeddedChannel ch = channel();
    ch.writeInbound(frame(Request.newBuilder().setId(3).setPing(Ping.getDefaultInstance()).build()));
    Response r = read(ch);
    assertThat(r.getId()).isEqualTo(3);
    assertThat(r.getError().getCode()).isEqualTo(ErrorCode.NOT_AUTHENTICATED);
    assertThat(handled).isEmpty();
  }

  @Test
  void unsupportedProtocolVersionIsNamed() throws Exception {
    EmbeddedChannel ch = channel();
    ch.writeInbound(frame(Request.newBuilder().setId(1)
        .setHello(Hello.newBuilder().setProtocolVersion(99).setSecret("s3cret-right")).build()));
    Response r = read(ch);
    assertThat(r.getError().getCode()).isEqualTo(ErrorCode.UNSUPPORTED_VERSION);
    assertThat(r.getError().getMessage()).contains("99");
  }

  @Test
  void oversizedFrameGetsAnErrorFrameAndTheConnectionCloses() throws Exception {
    EmbeddedChannel ch = channel();
    ch.writeInbound(frame(hello(1, "s3cret-right")));
    read(ch);
    ch.writeInbound(Unpooled.buffer().writeInt(MAX_FRAME + 1).writeBytes(new byte[16]));
    Response r = read(ch);
    assertThat(r.getId()).isZero();
    assertThat(r.getError().getCode()).isEqualTo(ErrorCode.FRAME_TOO_LARGE);
    assertThat(r.getError().getMessage()).contains(String.valueOf(MAX_FRAME + 1)).contains(String.valueOf(MAX_FRAME));
    assertThat(ch.isOpen()).isFalse();
    assertThat(rejections).containsExactly(ErrorCode.FRAME_TOO_LARGE);
  }

  @Test
  void garbageFrameGetsMalformedFrameAndTheConnectionCloses() throws Exception {
    EmbeddedChannel ch = channel();
    byte[] garbage = {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01, 0x02};
    ch.writeInbound(Unpooled.buffer().writeInt(garbage.length).writeBytes(garbage));
    Response r = read(ch);
    assertThat(r.getError().getCode()).isEqualTo(ErrorCode.MALFORMED_FRAME);
    assertThat(ch.isOpen()).isFalse();
  }

  @Test
  void framesAfterAMalformedFrameInTheSameReadAreNotServed() throws Exception {
    EmbeddedChannel ch = channel();
    ch.writeInbound(frame(hello(1, "s3cret-right")));
    read(ch);
    byte[] garbage = {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01, 0x02};
    ch.writeInbound(Unpooled.buffer().writeInt(garbage.length).writeBytes(garbage)
        .writeBytes(frame(Request.newBuilder().setId(5).setPing(Ping.getDefaultInstance()).build())));
    assertThat(read(ch).getError().getCode()).isEqualTo(ErrorCode.MALFORMED_FRAME);
    assertThat(ch.isOpen()).isFalse();
    assertThat(handled).isEmpty();
  }

  @Test
  void emptyRequestIsABadRequestButTheConnectionStays() throws Exception {
    EmbeddedChannel ch = channel();
    ch.writeInbound(frame(Request.newBuilder().setId(4).build()));
    Response r = read(ch);
    assertThat(r.getError().getCode()).isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(ch.isOpen()).isTrue();
  }

  @Test
  void everyAnsweredRequestIsReportedWithTheHelloIdAndAFailingListenerCostsNothing() throws Exception {
    List<String> seen = new ArrayList<>();
    EmbeddedChannel ch = new EmbeddedChannel(
        new FrameDecoder(MAX_FRAME),
        new ProtobufFrameDecoder<>(Request.parser()),
        new ProtobufFrameEncoder(),
        new ClientSessionHandler(new Secret("s3cret-right"), service, rejections::add, (client, request, answer) -> {
          seen.add(client + " " + request.getBodyCase() + " " + answer.getId());
          throw new IllegalStateException("listener bug");
        }));
    ch.writeInbound(frame(hello(1, "s3cret-right")));
    read(ch);
    ch.writeInbound(frame(Request.newBuilder().setId(9).setPing(Ping.getDefaultInstance()).build()));
    assertThat(read(ch).getId()).isEqualTo(9);
    assertThat(ch.isOpen()).isTrue();
    // Hello itself is not reported: it says nothing about what the client holds.
    assertThat(seen).containsExactly("ws1 PING 9");
  }
}
