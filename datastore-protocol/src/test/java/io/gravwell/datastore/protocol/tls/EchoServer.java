package io.gravwell.datastore.protocol.tls;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A TLS echo server on a real loopback socket, plus a client that sends one message through it. */
final class EchoServer implements AutoCloseable {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    private final Channel serverChannel;

    EchoServer(SslContext serverContext) throws InterruptedException {
        serverChannel = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(serverContext.newHandler(ch.alloc()), new Echo());
                    }
                })
                .bind(InetAddress.getLoopbackAddress(), 0).sync().channel();
    }

    int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /**
     * Connects to 127.0.0.1 while telling TLS the server is {@code hostForTls} (for SNI and host name
     * verification), and returns the echo of {@code message} plus the negotiated protocol.
     */
    String roundTrip(SslContext clientContext, String hostForTls, String message) throws Exception {
        CompletableFuture<String> reply = new CompletableFuture<>();
        Channel ch = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(clientContext.newHandler(ch.alloc(), hostForTls, port()),
                                new Collector(message.length(), reply));
                    }
                })
                .connect(InetAddress.getLoopbackAddress(), port()).sync().channel();
        try {
            SslHandler ssl = ch.pipeline().get(SslHandler.class);
            if (!ssl.handshakeFuture().await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("handshake timed out");
            }
            if (!ssl.handshakeFuture().isSuccess()) {
                throw new Exception(ssl.handshakeFuture().cause());
            }
            ch.writeAndFlush(Unpooled.copiedBuffer(message, StandardCharsets.UTF_8));
            return reply.get(10, TimeUnit.SECONDS) + " over " + ssl.engine().getSession().getProtocol();
        } finally {
            ch.close().sync();
        }
    }

    @Override
    public void close() {
        serverChannel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.writeAndFlush(msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // failed handshakes are expected in these tests
        }
    }

    private static final class Collector extends SimpleChannelInboundHandler<ByteBuf> {
        private final int expectedLength;
        private final CompletableFuture<String> reply;
        private final StringBuilder received = new StringBuilder();

        Collector(int expectedLength, CompletableFuture<String> reply) {
            this.expectedLength = expectedLength;
            this.reply = reply;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf msg) {
            received.append(msg.toString(StandardCharsets.UTF_8));
            if (received.length() >= expectedLength) {
                reply.complete(received.toString());
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            reply.completeExceptionally(cause);
            ctx.close();
        }
    }
}
