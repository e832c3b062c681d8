package io.gravwell.datastore.webserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gravwell.datastore.node.cluster.LocalCluster;
import io.gravwell.datastore.webserver.Fleet.Member;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A 200 MiB resource uploaded to webserver A (streamed from a generator, never a byte[]) comes out of
 * webserver B with the same SHA-256, with three real nodes and both webservers in this JVM. The pom runs
 * this class alone in a JVM limited to -Xmx256m: content held whole anywhere on the way (upload, push,
 * Raft, pull, download) would not fit, let alone twice.
 */
class LargeResourceTest extends FleetTest {
  private static final Logger LOG = LoggerFactory.getLogger(LargeResourceTest.class);
  private static final long SIZE = 200L * 1024 * 1024;
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void twoHundredMibRoundTripWithABoundedHeap() throws Exception {
    assertThat(Runtime.getRuntime().maxMemory()).as("run with -Xmx256m (see the pom)")
        .isLessThanOrEqualTo(256L * 1024 * 1024);
    long started = System.nanoTime();
    // Three nodes and two webservers share this 256 MiB heap. Each node keeps recent entries in memory by
    // Ratis' design: the open log segment (32 MB by default) and the closed-segment cache (64 MB here),
    // plus a retry cache of write replies (which no longer carry payloads). Scaled down to fit three nodes
    // in one JVM; a real node has its own heap.
    cluster = LocalCluster.builder(dir.resolve("cluster"))
        .raft("raft.server.log.segment.size.max", "8MB")
        .raft("raft.server.log.segment.cache.size.max", "8MB")
        .raft("raft.server.retrycache.expiry.time", "5s")
        .start();
    cluster.awaitLeader();
    fleet = new Fleet(dir.resolve("web"), Duration.ofSeconds(1));
    Member a = fleet.start("a", cluster);
    Member b = fleet.start("b", cluster);
    Fleet.awaitAvailable(a, true, Duration.ofSeconds(30));
    Fleet.awaitAvailable(b, true, Duration.ofSeconds(30));
    assertThat(a.http().post("/api/resources", "{\"guid\":\"big\",\"name\":\"geoip\"}").status()).isEqualTo(201);

    GeneratedContent upload = new GeneratedContent(42, SIZE);
    long t0 = System.nanoTime();
    HttpRequest put = HttpRequest.newBuilder(uri(a, "/api/resources/big/raw")).timeout(Duration.ofMinutes(2))
        .PUT(BodyPublishers.fromPublisher(BodyPublishers.ofInputStream(() -> upload), SIZE)).build();
    var putReply = HTTP.send(put, BodyHandlers.ofString());
    long uploadMs = millisSince(t0);
    assertThat(putReply.statusCode()).as(putReply.body()).isEqualTo(200);
    String expected = upload.sha256Hex();
    assertThat(putReply.body()).contains("\"hash\":\"" + expected + "\"").contains("\"size\":" + SIZE);

    long t1 = System.nanoTime();
    AtomicReference<String> downloaded = new AtomicReference<>();
    await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofSeconds(1))
        .until(() -> download(b, downloaded));
    long syncedMs = millisSince(t1);
    assertThat(downloaded.get()).isEqualTo(expected);

    LOG.info("200 MiB: upload to A {} ms, until B served it whole {} ms, total with cluster start {} ms;"
        + " heap max {} MiB, peak heap pools {} MiB", uploadMs, syncedMs, millisSince(started),
        Runtime.getRuntime().maxMemory() >> 20, peakHeapMib());
  }

  /**
   * Streams the content from {@code m} through SHA-256; false while B still answers 404 or 503, or still
   * serves the older, empty version.
   */
  private static boolean download(Member m, AtomicReference<String> hash) throws IOException, InterruptedException {
    HttpRequest get = HttpRequest.newBuilder(uri(m, "/api/resources/big/raw")).timeout(Duration.ofMinutes(2)).build();
    var reply = HTTP.send(get, BodyHandlers.ofInputStream());
    try (InputStream in = reply.body()) {
      if (reply.statusCode() != 200) {
        in.transferTo(java.io.OutputStream.nullOutputStream());
        return false;
      }
      MessageDigest sha = GeneratedContent.sha256();
      byte[] buf = new byte[64 * 1024];
      long total = 0;
      int n;
      while ((n = in.read(buf)) > 0) {
        sha.update(buf, 0, n);
        total += n;
      }
      // B may still hold the resource as created, empty, and serve that (200, 0 bytes): not yet.
      if (total != SIZE) {
        return false;
      }
      hash.set(HexFormat.of().formatHex(sha.digest()));
      return true;
    }
  }

  private static URI uri(Member m, String path) {
    return URI.create("http://127.0.0.1:" + m.server().port() + path);
  }

  private static long millisSince(long nanos) {
    return (System.nanoTime() - nanos) / 1_000_000;
  }

  /** The sum of the heap pools' peaks: an upper bound of what was ever in use at once (garbage included). */
  private static long peakHeapMib() {
    return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
        .mapToLong(p -> p.getPeakUsage().getUsed()).sum() >> 20;
  }
}
