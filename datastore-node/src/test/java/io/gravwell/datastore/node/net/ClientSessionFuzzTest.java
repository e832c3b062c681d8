package io.gravwell.datastore.node.net;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.InvalidProtocolBufferException;
import io.gravwell.datastore.config.Secret;
import io.gravwell.datastore.protocol.v1.ErrorCode;
import io.gravwell.datastore.protocol.v1.Hello;
import io.gravwell.datastore.protocol.v1.HelloResult;
import io.gravwell.datastore.protocol.v1.Identity;
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
import java.util.function.Consumer;

/**
 * Arbitrary bytes on the client port, before and after a good Hello, through the node's real pipeline
 * (framing, protobuf, session). Nothing may escape the pipeline, and the answers must be exactly those the
 * protocol promises, worked out here independently from the frames: one answer per request with its id,
 * Hello before anything else, and after a refused frame or secret nothing more is served.
 */
class ClientSessionFuzzTest {
  private static final int MAX_FRAME = 1024;
  private static final String SECRET = "fuzz-secret";

  /**
   * Input layout: one flags byte (bit 0: start with a good Hello; bits 1-3: number of extra read
   * boundaries), one byte per boundary (the length of that read), then the bytes the client sends.
   */
  @FuzzTest
  void clientBytes(byte[] input) {
    if (input.length < 1) {
      return;
    }
    int flags = input[0] & 0xff;
    int cutCount = Math.min((flags >> 1) & 7, input.length - 1);
    int[] cuts = new int[cutCount];
    for (int i = 0; i < cutCount; i++) {
      cuts[i] = input[1 + i] & 0xff;
    }
    ByteBuf stream = Unpooled.buffer();
    if ((flags & 1) != 0) {
      byte[] hello = goodHello().toByteArray();
      stream.writeInt(hello.length).writeBytes(hello);
    }
    stream.writeBytes(input, 1 + cutCount, input.length - 1 - cutCount);
    byte[] bytes = new byte[stream.readableBytes()];
    stream.readBytes(bytes);

    List<Request> handled = new ArrayList<>();
    EmbeddedChannel ch = new EmbeddedChannel(
        new FrameDecoder(MAX_FRAME),
        new ProtobufFrameDecoder<>(Request.parser()),
        new ProtobufFrameEncoder(),
        new ClientSessionHandler(new Secret(SECRET), new PongService(handled), code -> {}));
    int at = 0;
    for (int cut : cuts) {
      at += send(ch, bytes, at, Math.min(cut, bytes.length - at));
    }
    send(ch, bytes, at, bytes.length - at);
    // An exception that reached the end of the pipeline is rethrown here.
    ch.checkException();

    List<Response> answers = new ArrayList<>();
    for (ByteBuf out; (out = ch.readOutbound()) != null; ) {
      answers.add(parse(out));
    }
    Expected expected = Expected.of(bytes);
    assertThat(answers).extracting(ClientSessionFuzzTest::describe).containsExactlyElementsOf(expected.answers);
    assertThat(handled).hasSize(expected.served);
    assertThat(ch.isOpen()).as("open").isEqualTo(!expected.closes);
    ch.finishAndReleaseAll();
  }

  private static int send(EmbeddedChannel ch, byte[] bytes, int from, int length) {
    if (length > 0 && ch.isOpen()) {
      ch.writeInbound(Unpooled.copiedBuffer(bytes, from, length));
    }
    return length;
  }

  private static Request goodHello() {
    return Request.newBuilder().setId(1).setHello(Hello.newBuilder()
        .setProtocolVersion(Frames.PROTOCOL_VERSION).setSecret(SECRET).setWebserverId("fuzz")).build();
  }

  private static Response parse(ByteBuf out) {
    try {
      int length = out.readInt();
      assertThat(out.readableBytes()).as("one whole frame per answer").isEqualTo(length);
      byte[] body = new byte[length];
      out.readBytes(body);
      return Response.parseFrom(body);
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError("the node wrote a frame that is not a Response", e);
    } finally {
      out.release();
    }
  }

  private static String describe(Response r) {
    String what = r.hasError() ? r.getError().getCode().name() : r.getBodyCase().name();
    if (r.hasError()) {
      assertThat(r.getError().getMessage()).as("error message of %s", what).isNotBlank();
    }
    return r.getId() + " " + what;
  }

  /** The protocol's promises applied to the frames of the stream, in order. */
  private static final class Expected {
    final List<String> answers = new ArrayList<>();
    int served;
    boolean closes;

    static Expected of(byte[] bytes) {
      Expected e = new Expected();
      ByteBuf in = Unpooled.wrappedBuffer(bytes);
      boolean authenticated = false;
      while (!e.closes && in.readableBytes() >= Frames.LENGTH_BYTES) {
        long length = in.getUnsignedInt(in.readerIndex());
        if (length > MAX_FRAME) {
          e.refuse(ErrorCode.FRAME_TOO_LARGE);
          break;
        }
        if (in.readableBytes() < Frames.LENGTH_BYTES + length) {
          break;
        }
        in.skipBytes(Frames.LENGTH_BYTES);
        byte[] body = new byte[(int) length];
        in.readBytes(body);
        Request r;
        try {
          r = Request.parseFrom(body);
        } catch (InvalidProtocolBufferException bad) {
          e.refuse(ErrorCode.MALFORMED_FRAME);
          break;
        }
        long id = r.getId();
        switch (r.getBodyCase()) {
          case HELLO -> {
            if (r.getHello().getProtocolVersion() != Frames.PROTOCOL_VERSION) {
              e.answers.add(id + " " + ErrorCode.UNSUPPORTED_VERSION);
            } else if (!r.getHello().getSecret().equals(SECRET)) {
              e.answers.add(id + " " + ErrorCode.AUTH_FAILED);
              e.closes = true;
            } else {
              authenticated = true;
              e.answers.add(id + " HELLO");
            }
          }
          case BODY_NOT_SET -> e.answers.add(id + " " + ErrorCode.BAD_REQUEST);
          default -> {
            if (!authenticated) {
              e.answers.add(id + " " + ErrorCode.NOT_AUTHENTICATED);
            } else if (r.getBodyCase() != Request.BodyCase.WATCH) {
              e.served++;
              e.answers.add(id + " PONG");
            }
          }
        }
      }
      return e;
    }

    private void refuse(ErrorCode code) {
      answers.add("0 " + code);
      closes = true;
    }
  }

  /** Answers every request at once with a Pong; the real service is fuzzed over a socket elsewhere. */
  private record PongService(List<Request> handled) implements RequestService {
    @Override
    public HelloResult describe() {
      return HelloResult.newBuilder().setNodeId("n1").build();
    }

    @Override
    public Identity identity() {
      return Identity.newBuilder().setClusterId("c1").setIncarnation(1).build();
    }

    @Override
    public CompletableFuture<Response> handle(Request request) {
      handled.add(request);
      return CompletableFuture.completedFuture(Response.newBuilder().setPong(Pong.getDefaultInstance()).build());
    }

    @Override
    public AutoCloseable watch(long afterRevision, Consumer<Response> sink) {
      return () -> {};
    }
  }
}
