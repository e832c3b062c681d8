package io.gravwell.datastore.chaos.nemesis;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Test;

/** The latency nemesis' proxy: bytes arrive intact and in order, late by the delay in each direction. */
class LatencyProxyTest {

  @Test
  void delaysEachDirectionAndKeepsBytesInOrder() throws Exception {
    try (ServerSocket echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread server = new Thread(() -> {
        try (Socket s = echo.accept(); InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
          in.transferTo(out);
        } catch (Exception e) {
          // the test ends the connection
        }
      });
      server.setDaemon(true);
      server.start();
      InetSocketAddress target = new InetSocketAddress(InetAddress.getLoopbackAddress(), echo.getLocalPort());
      try (LatencyProxy proxy = new LatencyProxy(target);
           Socket client = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
        byte[] payload = new byte[200_000];
        for (int i = 0; i < payload.length; i++) {
          payload[i] = (byte) (i * 31);
        }
        for (int warm = 0; warm < 3; warm++) {
          roundTrip(client, payload);
        }

        proxy.setDelayMillis(500);
        long slow = roundTrip(client, payload);

        proxy.setDelayMillis(0);
        long healed = roundTrip(client, payload);

        assertThat(slow).as("a round trip crosses the proxy twice").isGreaterThanOrEqualTo(1000);
        assertThat(healed).as("no delay once healed").isLessThan(slow - 500);
      }
    }
  }

  private static long roundTrip(Socket client, byte[] payload) throws Exception {
    long start = System.nanoTime();
    client.getOutputStream().write(payload);
    client.getOutputStream().flush();
    byte[] back = new byte[payload.length];
    new DataInputStream(client.getInputStream()).readFully(back);
    assertThat(back).isEqualTo(payload);
    return (System.nanoTime() - start) / 1_000_000;
  }
}
