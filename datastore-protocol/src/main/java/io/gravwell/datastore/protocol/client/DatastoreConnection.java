package io.gravwell.datastore.protocol.client;

import io.gravwell.datastore.protocol.v1.ErrorCode;
import io.gravwell.datastore.protocol.v1.Hello;
import io.gravwell.datastore.protocol.v1.HelloResult;
import io.gravwell.datastore.protocol.v1.Identity;
import io.gravwell.datastore.protocol.v1.Request;
import io.gravwell.datastore.protocol.v1.Response;
import io.gravwell.datastore.protocol.wire.FrameDecoder;
import io.gravwell.datastore.protocol.wire.Frames;
import io.gravwell.datastore.protocol.wire.ProtobufFrameDecoder;
import io.gravwell.datastore.protocol.wire.ProtobufFrameEncoder;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One authenticated, pipelined connection to one datastore node.
 *
 * <p>Requests get increasing ids; responses are matched by id, so any number may be outstanding. A
 * connection-level error (id 0, e.g. FRAME_TOO_LARGE) fails every outstanding request with that code,
 * since the node closes the connection right after sending it.
 */
public final class DatastoreConnection implements AutoCloseable {
  private static final class SharedGroup {
    // Daemon threads: an embedding application that forgets close() can still exit.
    static final EventLoopGroup GROUP =
        new MultiThreadIoEventLoopGroup(
            2, new DefaultThreadFactory("datastore-client", true), NioIoHandler.newFactory());
  }

  private final ConnectionOptions options;
  private final Channel channel;
  private final AtomicLong nextId = new AtomicLong(1);
  private final Map<Long, CompletableFuture<Response>> pending = new ConcurrentHashMap<>();
  private final Map<Long, java.util.function.Consumer<Response>> streams = new ConcurrentHashMap<>();
  private volatile HelloResult hello;
  private volatile Identity lastIdentity = Identity.getDefaultInstance();
  private volatile DatastoreException closeReason;

  private DatastoreConnection(ConnectionOptions options, Channel channel) {
    this.options = options;
    this.channel = channel;
  }

  /** Connects and says Hello; the future fails with a {@link DatastoreException} if the node refuses. */
  public static CompletableFuture<DatastoreConnection> open(ConnectionOptions options) {
    return open(options, SharedGroup.GROUP);
  }

  public static CompletableFuture<DatastoreConnection> open(ConnectionOptions options, EventLoopGroup group) {
    CompletableFuture<DatastoreConnection> result = new CompletableFuture<>();
    DatastoreConnection[] holder = new DatastoreConnection[1];
    Bootstrap bootstrap =
        new Bootstrap()
            .group(group)
            .channel(NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) options.connectTimeout().toMillis())
            .handler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    if (options.sslContext() != null) {
                      ch.pipeline().addLast(options.sslContext().newHandler(ch.alloc(), options.host(), options.port()));
                    }
                    // Requests sent together by many threads share one TLS record and one write.
                    ch.pipeline()
                        .addLast(new FlushConsolidationHandler(FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true))
                        .addLast(new FrameDecoder(options.maxFrameBytes()))
                        .addLast(new ProtobufFrameDecoder<>(Response.parser()))
                        .addLast(new ProtobufFrameEncoder())
                        .addLast(new ResponseHandler(holder));
                  }
                });
    ChannelFuture connect = bootstrap.connect(options.host(), options.port());
    connect.addListener(
        f -> {
          if (!f.isSuccess()) {
            result.completeExceptionally(
                new DatastoreException(
                    ErrorCode.UNAVAILABLE,
                    "cannot connect to " + options.host() + ":" + options.port() + ": " + f.cause().getMessage()));
            return;
          }
          DatastoreConnection conn = new DatastoreConnection(options, connect.channel());
          holder[0] = conn;
          conn.sayHello().whenComplete((ok, err) -> {
            if (err != null) {
              conn.close();
              result.completeExceptionally(unwrap(err));
            } else {
              result.complete(conn);
            }
          });
        });
    return result;
  }

  private CompletableFuture<HelloResult> sayHello() {
    Request.Builder req =
        Request.newBuilder()
            .setHello(
                Hello.newBuilder()
                    .setProtocolVersion(Frames.PROTOCOL_VERSION)
                    .setSecret(options.secret())
                    .setWebserverId(options.clientId()));
    return send(req).thenApply(resp -> {
      if (resp.hasError()) {
        throw DatastoreException.of(resp.getError());
      }
      hello = resp.getHello();
      return hello;
    });
  }

  /**
   * Sends one request (its id is assigned here). The future completes with the response, which may
   * carry an error; it fails only when the connection breaks or the request times out.
   */
  public CompletableFuture<Response> send(Request.Builder request) {
    long id = nextId.getAndIncrement();
    CompletableFuture<Response> future = new CompletableFuture<>();
    DatastoreException closed = closeReason;
    if (closed != null || !channel.isActive()) {
      future.completeExceptionally(closed != null ? closed : connectionClosed());
      return future;
    }
    pending.put(id, future);
    Request built = request.setId(id).build();
    // The time-out and the write go to the event loop as one task: two tasks from a caller's thread cost
    // two hand-offs (and often two selector wake-ups) per request.
    EventLoop loop = channel.eventLoop();
    if (loop.inEventLoop()) {
      writeWithTimeout(id, built, future);
    } else {
      try {
        loop.execute(() -> writeWithTimeout(id, built, future));
      } catch (RejectedExecutionException e) {
        pending.remove(id);
        future.completeExceptionally(connectionClosed()); // the event loop is shut down
      }
    }
    return future;
  }

  private void writeWithTimeout(long id, Request request, CompletableFuture<Response> future) {
    long timeoutMs = options.requestTimeout().toMillis();
    var timeout = channel.eventLoop().schedule(() -> {
      CompletableFuture<Response> f = pending.remove(id);
      if (f != null) {
        f.completeExceptionally(new TimeoutException("no response to request " + id + " within " + timeoutMs + " ms"));
      }
    }, timeoutMs, TimeUnit.MILLISECONDS);
    future.whenComplete((r, e) -> timeout.cancel(false));
    channel.writeAndFlush(request).addListener(f -> {
      if (!f.isSuccess()) {
        CompletableFuture<Response> p = pending.remove(id);
        if (p != null) {
          p.completeExceptionally(new DatastoreException(ErrorCode.UNAVAILABLE, "send failed: " + f.cause()));
        }
      }
    });
  }

  /**
   * Sends a request whose answers keep coming (Watch): every response with its id goes to {@code sink},
   * on the connection's event loop, so the sink must not block. Ends when the connection closes, which
   * {@link #closeFuture()} reports.
   */
  public void stream(Request.Builder request, java.util.function.Consumer<Response> sink) {
    long id = nextId.getAndIncrement();
    streams.put(id, sink);
    channel.writeAndFlush(request.setId(id).build());
  }

  /**
   * Stops ({@code false}) or resumes reading from the socket. A stream consumer slower than the network
   * pauses reading so that TCP pushes back on the node instead of responses piling up in heap.
   */
  public void setReading(boolean on) {
    channel.config().setAutoRead(on);
    if (on) {
      channel.read();
    }
  }

  /** Sends and returns the response body, turning an error response into a {@link DatastoreException}. */
  public CompletableFuture<Response> call(Request.Builder request) {
    return send(request).thenApply(resp -> {
      if (resp.hasError()) {
        throw DatastoreException.of(resp.getError());
      }
      return resp;
    });
  }

  public HelloResult hello() {
    return hello;
  }

  /** Identity carried by the most recent response on this connection. */
  public Identity lastIdentity() {
    return lastIdentity;
  }

  public ConnectionOptions options() {
    return options;
  }

  public boolean isOpen() {
    return channel.isActive() && closeReason == null;
  }

  /** Why the node closed this connection, if it said so; null otherwise. */
  public DatastoreException closeReason() {
    return closeReason;
  }

  public CompletableFuture<Void> closeFuture() {
    CompletableFuture<Void> f = new CompletableFuture<>();
    channel.closeFuture().addListener(x -> f.complete(null));
    return f;
  }

  @Override
  public void close() {
    channel.close();
  }

  private DatastoreException connectionClosed() {
    return new DatastoreException(
        ErrorCode.UNAVAILABLE, "connection to " + options.host() + ":" + options.port() + " closed");
  }

  private void failAll(DatastoreException reason) {
    for (Long id : pending.keySet()) {
      CompletableFuture<Response> f = pending.remove(id);
      if (f != null) {
        f.completeExceptionally(reason);
      }
    }
  }

  private static Throwable unwrap(Throwable t) {
    while (t instanceof java.util.concurrent.CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private static final class ResponseHandler extends SimpleChannelInboundHandler<Response> {
    private final DatastoreConnection[] holder;

    ResponseHandler(DatastoreConnection[] holder) {
      this.holder = holder;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Response resp) {
      DatastoreConnection conn = holder[0];
      if (conn == null) {
        return;
      }
      if (resp.hasIdentity()) {
        conn.lastIdentity = resp.getIdentity();
      }
      if (resp.getId() == 0 && resp.hasError()) {
        conn.closeReason = DatastoreException.of(resp.getError());
        conn.failAll(conn.closeReason);
        return;
      }
      CompletableFuture<Response> f = conn.pending.remove(resp.getId());
      if (f != null) {
        f.complete(resp);
        return;
      }
      java.util.function.Consumer<Response> stream = conn.streams.get(resp.getId());
      if (stream != null) {
        stream.accept(resp);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      DatastoreConnection conn = holder[0];
      if (conn != null) {
        conn.failAll(conn.closeReason != null ? conn.closeReason : conn.connectionClosed());
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      DatastoreConnection conn = holder[0];
      if (conn != null && conn.closeReason == null) {
        String what = cause instanceof IOException ? "connection error" : "protocol error";
        conn.closeReason = new DatastoreException(ErrorCode.UNAVAILABLE, what + ": " + cause.getMessage());
      }
      ctx.close();
    }
  }
}
