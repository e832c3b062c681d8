package io.gravwell.datastore.chaos.nemesis;

import io.gravwell.datastore.chaos.docker.Daemons;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A small user-space TCP proxy that delays every chunk of bytes by a settable time, in both directions
 * (the kernel's netem is not available on these machines). Bytes keep their order: a chunk leaves no
 * earlier than its arrival plus the delay in force when it arrived, and never before the chunk ahead.
 */
public final class LatencyProxy implements AutoCloseable {
  private final ServerSocket server;
  private final InetSocketAddress target;
  private final AtomicLong delayNanos = new AtomicLong();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  private record Chunk(long dueNanos, byte[] bytes, int length) {}

  public LatencyProxy(InetSocketAddress target) throws IOException {
    this.target = target;
    this.server = new ServerSocket();
    server.bind(new InetSocketAddress("0.0.0.0", 0));
    Daemons.start("latency-proxy-" + target, this::acceptLoop);
  }

  public int port() {
    return server.getLocalPort();
  }

  public void setDelayMillis(long millis) {
    delayNanos.set(TimeUnit.MILLISECONDS.toNanos(millis));
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket in = server.accept();
        Socket out = new Socket();
        try {
          out.connect(target, 2000);
        } catch (IOException e) {
          in.close();
          continue;
        }
        in.setTcpNoDelay(true);
        out.setTcpNoDelay(true);
        sockets.add(in);
        sockets.add(out);
        pump(in, out);
        pump(out, in);
      } catch (IOException e) {
        if (!closed) {
          continue;
        }
      }
    }
  }

  private void pump(Socket from, Socket to) throws IOException {
    BlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
    InputStream in = from.getInputStream();
    OutputStream out = to.getOutputStream();
    Daemons.start("latency-read", () -> {
      try {
        byte[] buf = new byte[64 * 1024];
        int n;
        while ((n = in.read(buf)) >= 0) {
          queue.put(new Chunk(System.nanoTime() + delayNanos.get(), buf.clone(), n));
        }
      } catch (IOException | InterruptedException e) {
        // the connection is gone: the writer ends on the end marker
      } finally {
        queue.add(new Chunk(0, null, -1));
      }
    });
    Daemons.start("latency-write", () -> {
      try {
        while (true) {
          Chunk c = queue.take();
          if (c.length() < 0) {
            break;
          }
          long wait;
          while ((wait = c.dueNanos() - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
          }
          out.write(c.bytes(), 0, c.length());
          out.flush();
        }
      } catch (IOException | InterruptedException e) {
        // the peer is gone
      } finally {
        closeQuietly(from);
        closeQuietly(to);
      }
    });
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // closing anyway
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException e) {
      // closing anyway
    }
    sockets.forEach(LatencyProxy::closeQuietly);
  }
}
