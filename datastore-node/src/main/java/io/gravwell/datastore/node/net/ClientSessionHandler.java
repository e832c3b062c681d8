package io.gravwell.datastore.node.net;

import io.gravwell.datastore.config.Secret;
import io.gravwell.datastore.protocol.v1.ErrorCode;
import io.gravwell.datastore.protocol.v1.Hello;
import io.gravwell.datastore.protocol.v1.Request;
import io.gravwell.datastore.protocol.v1.Response;
import io.gravwell.datastore.protocol.wire.FrameException;
import io.gravwell.datastore.protocol.wire.Frames;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderException;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: Hello first, then any number of pipelined requests. Each request is handed to
 * the {@link RequestService} and its answer written whenever it completes, so slow writes never hold up
 * fast reads on the same connection, and the event loop never waits.
 */
public final class ClientSessionHandler extends SimpleChannelInboundHandler<Request> {
  private static final Logger LOG = LoggerFactory.getLogger(ClientSessionHandler.class);

  private final Secret secret;
  private final RequestService service;
  private final Consumer<ErrorCode> rejections;
  private final ClientActivityListener activity;
  private String clientId;
  private AutoCloseable watch;
  // Set once the connection is being closed for a refused frame or secret. Frames that came in the same
  // read are still decoded after that; serving them would act on a stream we have declared untrustworthy.
  private boolean refused;

  /**
   * @param rejections told about every refused frame or failed authentication (for metrics); may be a
   *     no-op
   */
  public ClientSessionHandler(Secret secret, RequestService service, Consumer<ErrorCode> rejections) {
    this(secret, service, rejections, ClientActivityListener.NONE);
  }

  /** @param activity told about every answered request with the client's Hello id (for metrics) */
  public ClientSessionHandler(Secret secret, RequestService service, Consumer<ErrorCode> rejections,
      ClientActivityListener activity) {
    this.secret = secret;
    this.service = service;
    this.rejections = rejections;
    this.activity = activity;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, Request request) {
    if (refused) {
      return;
    }
    long id = request.getId();
    if (request.getBodyCase() == Request.BodyCase.HELLO) {
      hello(ctx, id, request.getHello());
      return;
    }
    if (request.getBodyCase() == Request.BodyCase.BODY_NOT_SET) {
      ctx.writeAndFlush(Frames.error(id, ErrorCode.BAD_REQUEST, "request " + id + " has no body"));
      return;
    }
    if (clientId == null) {
      rejections.accept(ErrorCode.NOT_AUTHENTICATED);
      ctx.writeAndFlush(Frames.error(id, ErrorCode.NOT_AUTHENTICATED, "send Hello before " + request.getBodyCase()));
      return;
    }
    if (request.getBodyCase() == Request.BodyCase.WATCH) {
      startWatch(ctx, id, request.getWatch().getAfterRevision());
      return;
    }
    if (request.getBodyCase() == Request.BodyCase.BACKUP) {
      service.backup(request.getBackup(), response -> written(ctx.writeAndFlush(response.toBuilder().setId(id).build())));
      return;
    }
    String client = clientId;
    service.handle(request).whenComplete((response, error) -> {
      Response answer = error == null
          ? response.toBuilder().setId(id).build()
          : internalError(id, request, error);
      ctx.writeAndFlush(answer);
      if (error == null) {
        tell(client, request, answer);
      }
    });
  }

  /** After the answer is on its way: a failing listener must cost neither the answer nor the connection. */
  private void tell(String client, Request request, Response answer) {
    try {
      activity.answered(client, request, answer);
    } catch (RuntimeException e) {
      LOG.warn("client activity listener failed", e);
    }
  }

  private void startWatch(ChannelHandlerContext ctx, long id, long afterRevision) {
    stopWatch();
    watch = service.watch(afterRevision, event -> ctx.writeAndFlush(event.toBuilder().setId(id).build()));
  }

  private static CompletableFuture<Void> written(ChannelFuture write) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    write.addListener(f -> {
      if (f.isSuccess()) {
        done.complete(null);
      } else {
        done.completeExceptionally(f.cause());
      }
    });
    return done;
  }

  private void stopWatch() {
    AutoCloseable w = watch;
    watch = null;
    if (w != null) {
      try {
        w.close();
      } catch (Exception e) {
        LOG.debug("closing a watch failed", e);
      }
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    stopWatch();
    super.channelInactive(ctx);
  }

  private Response internalError(long id, Request request, Throwable error) {
    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    LOG.error("request {} ({}) from {} failed", id, request.getBodyCase(), clientId, cause);
    return Frames.error(id, ErrorCode.INTERNAL, "internal error: " + cause.getClass().getSimpleName());
  }

  private void hello(ChannelHandlerContext ctx, long id, Hello hello) {
    if (hello.getProtocolVersion() != Frames.PROTOCOL_VERSION) {
      ctx.writeAndFlush(Frames.error(id, ErrorCode.UNSUPPORTED_VERSION,
          "protocol version " + hello.getProtocolVersion() + " is not supported; this node speaks "
              + Frames.PROTOCOL_VERSION));
      return;
    }
    if (!secret.matches(hello.getSecret())) {
      rejections.accept(ErrorCode.AUTH_FAILED);
      // The secret offered is never logged: it may be a real secret of another cluster.
      LOG.warn("authentication failed for client '{}' from {}: wrong Control-Auth secret",
          printable(hello.getWebserverId()), ctx.channel().remoteAddress());
      refused = true;
      ctx.writeAndFlush(Frames.error(id, ErrorCode.AUTH_FAILED, "wrong Control-Auth secret"))
          .addListener(ChannelFutureListener.CLOSE);
      return;
    }
    clientId = hello.getWebserverId().isEmpty() ? "anonymous" : hello.getWebserverId();
    ctx.writeAndFlush(Response.newBuilder()
        .setId(id)
        .setIdentity(service.identity())
        .setHello(service.describe())
        .build());
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    Throwable root = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
    if (root instanceof FrameException frame) {
      refused = true;
      rejections.accept(frame.code());
      LOG.warn("closing connection from {} (client '{}'): {}: {}",
          ctx.channel().remoteAddress(), clientId == null ? "unauthenticated" : clientId,
          frame.code(), frame.getMessage());
      if (ctx.channel().isActive()) {
        ctx.writeAndFlush(Frames.error(0, frame.code(), frame.getMessage()))
            .addListener(ChannelFutureListener.CLOSE);
      }
      return;
    }
    if (root instanceof IOException) {
      LOG.debug("connection from {} failed: {}", ctx.channel().remoteAddress(), root.toString());
    } else {
      LOG.warn("closing connection from {} after an unexpected error", ctx.channel().remoteAddress(), root);
    }
    ctx.close();
  }

  private static String printable(String s) {
    String cut = s.length() > 64 ? s.substring(0, 64) + "…" : s;
    return cut.replaceAll("[^\\p{Print}]", "?");
  }
}
