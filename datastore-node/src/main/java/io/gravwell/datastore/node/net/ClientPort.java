package io.gravwell.datastore.node.net;

import io.gravwell.datastore.config.Secret;
import io.gravwell.datastore.protocol.v1.ErrorCode;
import io.gravwell.datastore.protocol.v1.Request;
import io.gravwell.datastore.protocol.wire.FrameDecoder;
import io.gravwell.datastore.protocol.wire.ProtobufFrameDecoder;
import io.gravwell.datastore.protocol.wire.ProtobufFrameEncoder;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** The webserver-facing port (9405 by default): TLS unless disabled, then length-prefixed protobuf. */
public final class ClientPort implements AutoCloseable {
  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  private final Channel serverChannel;

  private ClientPort(EventLoopGroup boss, EventLoopGroup workers, Channel serverChannel) {
    this.boss = boss;
    this.workers = workers;
    this.serverChannel = serverChannel;
  }

  /**
   * Binds and starts serving.
   *
   * @param sslContext null only when the operator set Datastore-Insecure-Disable-TLS=true
   */
  public static ClientPort bind(
      InetSocketAddress address,
      SslContext sslContext,
      int maxFrameBytes,
      Secret secret,
      RequestService service,
      Consumer<ErrorCode> rejections,
      ClientActivityListener activity)
      throws InterruptedException {
    EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("client-accept"),
        NioIoHandler.newFactory());
    EventLoopGroup workers = new MultiThreadIoEventLoopGroup(0, new DefaultThreadFactory("client-io"),
        NioIoHandler.newFactory());
    ProtobufFrameEncoder encoder = new ProtobufFrameEncoder();
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(boss, workers)
        .channel(NioServerSocketChannel.class)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ChannelPipeline p = ch.pipeline();
            if (sslContext != null) {
              p.addLast("tls", sslContext.newHandler(ch.alloc()));
            }
            // Answers completed together leave in one TLS record and one write: without this, each answer
            // was its own flush, record and system call (see ARCHITECTURE, "The client port").
            p.addLast("flushes", new FlushConsolidationHandler(FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true));
            p.addLast("frames", new FrameDecoder(maxFrameBytes));
            p.addLast("decode", new ProtobufFrameDecoder<>(Request.parser()));
            p.addLast("encode", encoder);
            p.addLast("session", new ClientSessionHandler(secret, service, rejections, activity));
          }
        });
    try {
      Channel channel = bootstrap.bind(address).sync().channel();
      return new ClientPort(boss, workers, channel);
    } catch (RuntimeException | InterruptedException e) {
      boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw e;
    }
  }

  public InetSocketAddress localAddress() {
    return (InetSocketAddress) serverChannel.localAddress();
  }

  @Override
  public void close() {
    serverChannel.close().syncUninterruptibly();
    boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
