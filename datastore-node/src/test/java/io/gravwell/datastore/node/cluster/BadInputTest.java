package io.gravwell.datastore.node.cluster;

import static io.gravwell.datastore.node.cluster.Requests.get;
import static io.gravwell.datastore.node.cluster.Requests.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.gravwell.datastore.protocol.client.DatastoreConnection;
import io.gravwell.datastore.protocol.client.DatastoreException;
import io.gravwell.datastore.protocol.v1.Batch;
import io.gravwell.datastore.protocol.v1.ErrorCode;
import io.gravwell.datastore.protocol.v1.Mutation;
import io.gravwell.datastore.protocol.v1.Request;
import io.gravwell.datastore.protocol.v1.Response;
import io.gravwell.datastore.protocol.v1.Outcome;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Bad input against a real cluster: one bad client never hurts the node or the other clients. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputTest {
  @TempDir
  static Path dir;

  private LocalCluster cluster;
  private int leader;

  @BeforeAll
  void start() {
    cluster = LocalCluster.builder(dir).start();
    leader = cluster.awaitLeader();
  }

  @AfterAll
  void stop() {
    cluster.close();
  }

  @Test
  void anOversizedFrameGetsAnErrorFrameBeforeItsBodyIsEvenSent() throws Exception {
    try (SSLSocket socket = rawTls(cluster.clientPort(0))) {
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      out.writeInt(5 * 1024 * 1024); // above the 4 MiB default; the node must not wait for the body
      out.write(new byte[64]);
      out.flush();
      Response r = readFrame(socket);
      assertThat(r.getError().getCode()).isEqualTo(ErrorCode.FRAME_TOO_LARGE);
      assertThat(r.getError().getMessage()).contains("5242880").contains("4194304");
      assertThat(socket.getInputStream().read()).as("connection closed after the error frame").isEqualTo(-1);
    }
  }

  @Test
  void anOversizedFrameClosesOnlyThatConnection() {
    try (DatastoreConnection good = cluster.connect(0); DatastoreConnection bad = cluster.connect(0)) {
      byte[] big = new byte[5 * 1024 * 1024];
      // While the client is still writing the body the node closes the connection; whether the client reads
      // the error frame before the reset depends on timing, so either code is right here. The test above
      // pins the error frame down.
      assertThatThrownBy(() -> bad.call(put("resource", "huge", big)).get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(DatastoreException.class)
          .satisfies(e -> assertThat(((DatastoreException) e.getCause()).code())
              .isIn(ErrorCode.FRAME_TOO_LARGE, ErrorCode.UNAVAILABLE));
      await().atMost(5, TimeUnit.SECONDS).until(() -> !bad.isOpen());
      Response r = good.call(put("resource", "small", "fine")).join();
      assertThat(r.getWrite().getResults(0).getOutcome()).isEqualTo(Outcome.APPLIED);
    }
  }

  @Test
  void aMalformedFrameGetsAnErrorFrameThenTheConnectionCloses() throws Exception {
    try (SSLSocket socket = rawTls(cluster.clientPort(1))) {
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      byte[] garbage = {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01, 0x02, 0x03};
      out.writeInt(garbage.length);
      out.write(garbage);
      out.flush();
      Response r = readFrame(socket);
      assertThat(r.getError().getCode()).isEqualTo(ErrorCode.MALFORMED_FRAME);
      assertThat(socket.getInputStream().read()).as("connection closed after the error frame").isEqualTo(-1);
    }
    try (DatastoreConnection c = cluster.connect(1)) {
      assertThat(c.call(put("user", "after-garbage", "ok")).join().hasWrite()).isTrue();
    }
  }

  @Test
  void aWrongSecretIsRefusedWithAuthFailed() {
    var opts = cluster.connectionOptions(2);
    var wrong = new io.gravwell.datastore.protocol.client.ConnectionOptions(opts.host(), opts.port(),
        opts.sslContext(), "not-the-secret", "intruder", opts.maxFrameBytes(), opts.connectTimeout(),
        opts.requestTimeout());
    assertThatThrownBy(() -> DatastoreConnection.open(wrong).join())
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOf(DatastoreException.class)
        .satisfies(e -> assertThat(((DatastoreException) e).code()).isEqualTo(ErrorCode.AUTH_FAILED));
  }

  @Test
  void anEntryAboveTheRaftLimitIsRefusedBeforeTheLogAndTheLeaderStays() {
    long termBefore = cluster.node(leader).raft().status().term();
    try (DatastoreConnection c = cluster.connect(leader)) {
      byte[] part = new byte[600 * 1024];
      Batch.Builder batch = Batch.newBuilder();
      for (int i = 0; i < 3; i++) { // 1.8 MiB in one entry, above the 1 MiB default, below the frame limit
        batch.addMutations(Mutation.newBuilder().setPut(put("resource", "chunk" + i, part).getPut()));
      }
      Response r = c.send(Request.newBuilder().setBatch(batch)).join();
      assertThat(r.getError().getCode()).isEqualTo(ErrorCode.ENTRY_TOO_LARGE);
      assertThat(r.getError().getMessage()).contains("Datastore-Max-Entry-Size");
      assertThat(c.isOpen()).as("an oversized entry is a request error, not a connection error").isTrue();

      assertThat(c.call(put("resource", "after", "ok")).join().getWrite().getResults(0).getOutcome())
          .isEqualTo(Outcome.APPLIED);
      assertThat(c.call(get("resource", "chunk0")).join().getGet().getFound()).isFalse();
    }
    assertThat(cluster.node(leader).raft().isLeader()).isTrue();
    assertThat(cluster.node(leader).raft().status().term()).isEqualTo(termBefore);
  }

  private static Response readFrame(SSLSocket socket) throws Exception {
    DataInputStream in = new DataInputStream(socket.getInputStream());
    byte[] body = new byte[in.readInt()];
    in.readFully(body);
    return Response.parseFrom(body);
  }

  private static SSLSocket rawTls(int port) throws Exception {
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, new TrustManager[] {new X509TrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    }}, null);
    SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port);
    s.setSoTimeout(10_000);
    s.startHandshake();
    return s;
  }
}
