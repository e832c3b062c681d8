package io.gravwell.datastore.client.cluster;

import io.gravwell.datastore.protocol.v1.HelloResult;
import io.gravwell.datastore.protocol.v1.Identity;
import io.gravwell.datastore.protocol.v1.Member;
import io.gravwell.datastore.protocol.v1.Pong;
import io.gravwell.datastore.protocol.v1.Request;
import io.gravwell.datastore.protocol.v1.Response;
import io.gravwell.datastore.protocol.wire.FrameDecoder;
import io.gravwell.datastore.protocol.wire.Frames;
import io.gravwell.datastore.protocol.wire.ProtobufFrameDecoder;
import io.gravwell.datastore.protocol.wire.ProtobufFrameEncoder;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for a datastore node on a real socket (plain TCP): it says Hello and answers pings, and it
 * can freeze, keeping its connections open and answering nothing, as a stopped process or a long pause
 * does. Only what {@link ClusterClient} needs to choose a node and to leave one; not a datastore.
 */
final class FakeNode implements AutoCloseable {
  static final Identity IDENTITY =
      Identity.newBuilder().setClusterId("fake-cluster").setIncarnation(1).setRevision(7).build();

  final String id;
  final AtomicInteger pings = new AtomicInteger();
  private final EventLoopGroup group = new NioEventLoopGroup(1);
  private final Channel server;
  private volatile boolean frozen;

  FakeNode(String id) throws InterruptedException {
    this.id = id;
    server = new ServerBootstrap()
        .group(group)
        .channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline()
                .addLast(new FrameDecoder(Frames.DEFAULT_MAX_FRAME_BYTES))
                .addLast(new ProtobufFrameDecoder<>(Request.parser()))
                .addLast(new ProtobufFrameEncoder())
                .addLast(new SimpleChannelInboundHandler<Request>() {
                  @Override
                  protected void channelRead0(ChannelHandlerContext ctx, Request request) {
                    answer(ctx, request);
                  }
                });
          }
        })
        .bind("127.0.0.1", 0).sync().channel();
  }

  String endpoint() {
    return "127.0.0.1:" + ((InetSocketAddress) server.localAddress()).getPort();
  }

  /** From now on every request, Hello included, goes unanswered; connections stay open. */
  void freeze() {
    frozen = true;
  }

  private void answer(ChannelHandlerContext ctx, Request request) {
    if (frozen) {
      return;
    }
    Response.Builder r = Response.newBuilder().setId(request.getId()).setIdentity(IDENTITY);
    if (request.hasHello()) {
      r.setHello(HelloResult.newBuilder().setNodeId(id)
          .addMembers(Member.newBuilder().setId(id).setClientAddress(endpoint()).setRole("FOLLOWER")));
    } else if (request.hasPing()) {
      pings.incrementAndGet();
      r.setPong(Pong.getDefaultInstance());
    } else {
      r.setError(Frames.error(request.getId(), io.gravwell.datastore.protocol.v1.ErrorCode.INTERNAL,
          "a fake node answers only Hello and Ping").getError());
    }
    ctx.writeAndFlush(r.build());
  }

  @Override
  public void close() {
    server.close().syncUninterruptibly();
    group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
  }
}
