package io.gravwell.datastore.node.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.ByteString;
import io.gravwell.datastore.protocol.client.DatastoreConnection;
import io.gravwell.datastore.protocol.v1.ErrorCode;
import io.gravwell.datastore.protocol.v1.ObjectKey;
import io.gravwell.datastore.protocol.v1.Put;
import io.gravwell.datastore.protocol.v1.Request;
import io.gravwell.datastore.protocol.v1.Response;
import io.gravwell.datastore.protocol.v1.StoredObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * Arbitrary authenticated requests against a real one-node cluster (Raft, Xodus, TLS, the client port):
 * every request is answered within the timeout, never with INTERNAL (an unhandled exception in the node),
 * with the answer kind that belongs to the request; and after each input the node still commits writes.
 */
class NodeRequestFuzzTest {
  private static final long ANSWER_WITHIN_SECONDS = 30;
  private static final int MAX_REQUESTS = 8;
  private static final Map<Request.BodyCase, Response.BodyCase> ANSWER_KIND = Map.of(
      Request.BodyCase.PUT, Response.BodyCase.WRITE,
      Request.BodyCase.DELETE, Response.BodyCase.WRITE,
      Request.BodyCase.CAS, Response.BodyCase.WRITE,
      Request.BodyCase.BATCH, Response.BodyCase.WRITE,
      Request.BodyCase.GET, Response.BodyCase.GET,
      Request.BodyCase.LIST, Response.BodyCase.LIST,
      Request.BodyCase.CHANGES, Response.BodyCase.CHANGES,
      Request.BodyCase.STATUS, Response.BodyCase.STATUS,
      Request.BodyCase.TAKE_SNAPSHOT, Response.BodyCase.SNAPSHOT,
      Request.BodyCase.PING, Response.BodyCase.PONG);

  @TempDir
  static Path dir;

  private static LocalCluster cluster;
  private static DatastoreConnection connection;
  private static long lastCanaryRevision;

  @BeforeAll
  static void start() {
    cluster = LocalCluster.builder(dir).size(1).start();
    cluster.awaitLeader();
  }

  @AfterAll
  static void stop() {
    if (connection != null) {
      connection.close();
    }
    cluster.close();
  }

  /** Input: up to eight Requests, each preceded by its varint length (protobuf's delimited format). */
  @FuzzTest
  void requests(byte[] input) throws Exception {
    for (Request request : parse(input)) {
      if (request.getBodyCase() == Request.BodyCase.WATCH) {
        // Events carry the Watch's id and may never come; the Ping after the input proves the connection.
        connection().stream(request.toBuilder(), event -> {});
        continue;
      }
      Response answer = answer(request);
      check(request, answer);
      if (answer.hasError() && answer.getError().getCode() == ErrorCode.AUTH_FAILED) {
        dropConnection(); // the node closes it
      }
    }
    stillCommitsWrites();
  }

  private static List<Request> parse(byte[] input) {
    List<Request> out = new ArrayList<>();
    InputStream in = new ByteArrayInputStream(input);
    try {
      for (Request r; out.size() < MAX_REQUESTS && (r = Request.parseDelimitedFrom(in)) != null; ) {
        out.add(r);
      }
    } catch (IOException notARequest) {
      // The rest of the input is not a request; what parsed before it is still sent.
    }
    return out;
  }

  private static Response answer(Request request) throws Exception {
    try {
      return connection().send(request.toBuilder()).get(ANSWER_WITHIN_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException | ExecutionException e) {
      throw new AssertionError("no answer to " + request.getBodyCase() + " within " + ANSWER_WITHIN_SECONDS
          + " s: " + request, e);
    }
  }

  private static void check(Request request, Response answer) {
    if (answer.hasError()) {
      assertThat(answer.getError().getCode()).as("error code for %s", request)
          .isNotIn(ErrorCode.INTERNAL, ErrorCode.ERROR_UNSPECIFIED);
      assertThat(answer.getError().getMessage()).as("error message for %s", request).isNotBlank();
      return;
    }
    Response.BodyCase expected = request.getBodyCase() == Request.BodyCase.HELLO
        ? Response.BodyCase.HELLO : ANSWER_KIND.get(request.getBodyCase());
    assertThat(answer.getBodyCase()).as("answer to %s", request).isEqualTo(expected);
    if (answer.hasWrite()) {
      int mutations = request.hasBatch() ? request.getBatch().getMutationsCount() : 1;
      assertThat(answer.getWrite().getResultsList()).as("one result per mutation of %s", request).hasSize(mutations);
    }
  }

  /** A fresh write is committed and applied after whatever the input did: the state machine is alive. */
  private static void stillCommitsWrites() throws Exception {
    Request canary = Request.newBuilder().setPut(Put.newBuilder().setObject(StoredObject.newBuilder()
        .setKey(ObjectKey.newBuilder().setDomain("fuzz-canary").setKind("canary").setId("c"))
        .setPayload(ByteString.copyFromUtf8("alive")))).build();
    Response r = answer(canary);
    assertThat(r.hasError()).as("canary write failed: %s", r.getError()).isFalse();
    assertThat(r.getWrite().getRevision()).isGreaterThan(lastCanaryRevision);
    lastCanaryRevision = r.getWrite().getRevision();
  }

  private static DatastoreConnection connection() {
    if (connection == null || !connection.isOpen()) {
      dropConnection();
      connection = cluster.connect(0);
    }
    return connection;
  }

  private static void dropConnection() {
    if (connection != null) {
      connection.close();
      connection = null;
    }
  }
}
