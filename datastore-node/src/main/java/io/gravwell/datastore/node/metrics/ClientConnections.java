package io.gravwell.datastore.node.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Established TCP connections to this node's client port, counted from the kernel's socket table
 * (/proc/net/tcp and tcp6). The client port has no connection hook for metrics yet; the kernel's count is
 * exact and includes connections that never finished Hello. Reports -1 where /proc is not available.
 */
final class ClientConnections {
  private static final String ESTABLISHED = "01";
  private static final List<Path> TABLES = List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6"));

  private final String portHex;
  private volatile long count = -1;

  ClientConnections(MeterRegistry registry, int clientPort) {
    this.portHex = String.format(Locale.ROOT, "%04X", clientPort);
    Gauge.builder("datastore.client.connections", () -> count)
        .description("Established TCP connections to the client port (webservers and tools; -1: unknown)")
        .register(registry);
  }

  void refresh() {
    long n = 0;
    boolean any = false;
    for (Path table : TABLES) {
      try {
        for (String line : Files.readAllLines(table)) {
          n += established(line) ? 1 : 0;
        }
        any = true;
      } catch (IOException e) {
        // no such table (no IPv6, or not Linux)
      }
    }
    count = any ? n : -1;
  }

  /** A line reads "sl local_address rem_address st ...", addresses as HEXIP:HEXPORT. */
  private boolean established(String line) {
    String[] f = line.trim().split("\\s+");
    if (f.length < 4 || !ESTABLISHED.equals(f[3])) {
      return false;
    }
    int colon = f[1].lastIndexOf(':');
    return colon > 0 && f[1].substring(colon + 1).equalsIgnoreCase(portHex);
  }
}
