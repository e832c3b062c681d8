package io.gravwell.datastore.bench.sync;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback TCP relay in front of one node that counts every byte in both directions, TLS records and
 * all: what an idle check-in really costs on the wire.
 */
final class ByteCountingProxy implements AutoCloseable {
  private final ServerSocket server;
  private final String targetHost;
  private final int targetPort;
  final AtomicLong up = new AtomicLong();
  final AtomicLong down = new AtomicLong();

  ByteCountingProxy(String targetHost, int targetPort) throws IOException {
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread accept = new Thread(this::acceptLoop, "proxy-accept-" + targetPort);
    accept.setDaemon(true);
    accept.start();
  }

  String endpoint() {
    return "127.0.0.1:" + server.getLocalPort();
  }

  long total() {
    return up.get() + down.get();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Socket node = new Socket();
        node.connect(new InetSocketAddress(targetHost, targetPort));
        client.setTcpNoDelay(true);
        node.setTcpNoDelay(true);
        relay(client, node, up);
        relay(node, client, down);
      } catch (IOException e) {
        if (!server.isClosed()) {
          System.err.println("proxy: " + e);
        }
      }
    }
  }

  private static void relay(Socket from, Socket to, AtomicLong counter) {
    Thread t = new Thread(() -> {
      byte[] buf = new byte[64 * 1024];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        int n;
        while ((n = in.read(buf)) >= 0) {
          counter.addAndGet(n);
          out.write(buf, 0, n);
        }
      } catch (IOException ignored) {
        // one side closed: the other follows when its relay ends
      } finally {
        closeQuietly(from);
        closeQuietly(to);
      }
    }, "proxy-relay");
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
