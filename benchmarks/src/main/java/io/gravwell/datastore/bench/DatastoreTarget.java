package io.gravwell.datastore.bench;

import com.google.protobuf.ByteString;
import io.gravwell.datastore.protocol.client.ConnectionOptions;
import io.gravwell.datastore.protocol.client.DatastoreConnection;
import io.gravwell.datastore.protocol.client.DatastoreException;
import io.gravwell.datastore.protocol.v1.Get;
import io.gravwell.datastore.protocol.v1.MutationResult;
import io.gravwell.datastore.protocol.v1.ObjectKey;
import io.gravwell.datastore.protocol.v1.Outcome;
import io.gravwell.datastore.protocol.v1.Put;
import io.gravwell.datastore.protocol.v1.ReadConsistency;
import io.gravwell.datastore.protocol.v1.ReadOptions;
import io.gravwell.datastore.protocol.v1.Request;
import io.gravwell.datastore.protocol.v1.Response;
import io.gravwell.datastore.protocol.v1.StoredObject;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Our cluster, over the Netty client port: one DatastoreConnection per benchmark client. */
final class DatastoreTarget implements BenchTarget {

  private final TargetOptions options;
  private final String secret;
  private final SslContext sslContext;
  private final EventLoopGroup group;
  private final ObjectKey[] keys;

  DatastoreTarget(TargetOptions options, String secret, int keySpace) throws IOException {
    this.options = options;
    this.secret = secret;
    this.sslContext = options.ca == null ? null : SslContextBuilder.forClient().trustManager(options.ca).build();
    this.keys = new ObjectKey[keySpace];
    for (int i = 0; i < keySpace; i++) {
      keys[i] = ObjectKey.newBuilder().setDomain(options.domain).setKind(options.objectKind)
          .setId(TargetOptions.keyId(i)).build();
    }
    this.group = new MultiThreadIoEventLoopGroup(options.ioThreads, new DefaultThreadFactory("loadgen-io", true),
        NioIoHandler.newFactory());
  }

  @Override
  public String name() {
    return "datastore";
  }

  @Override
  public BenchClient open(int index) throws Exception {
    return new Client(index, false, await(connect(index), index));
  }

  @Override
  public BenchClient openRoaming(int index) throws Exception {
    return new Client(index, true, await(connect(index), index));
  }

  /** Opens all connections at once: TLS handshakes one after another would take seconds at C=64. */
  @Override
  public List<BenchClient> openAll(int n) throws Exception {
    List<CompletableFuture<DatastoreConnection>> pending = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      pending.add(connect(i));
    }
    List<BenchClient> clients = new ArrayList<>();
    Exception failure = null;
    for (int i = 0; i < n; i++) {
      try {
        clients.add(new Client(i, false, await(pending.get(i), i)));
      } catch (Exception e) {
        failure = failure == null ? e : failure;
      }
    }
    if (failure != null) {
      clients.forEach(BenchClient::close);
      throw failure;
    }
    return clients;
  }

  @Override
  public void close() {
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
  }

  private ConnectionOptions optionsFor(int endpointIndex, int clientIndex) {
    String ep = options.endpoints.get(Math.floorMod(endpointIndex, options.endpoints.size())).strip();
    int colon = ep.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("endpoint is not host:port: " + ep);
    }
    String host = ep.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port = Integer.parseInt(ep.substring(colon + 1));
    return ConnectionOptions.of(host, port, sslContext, secret, "loadgen-" + clientIndex)
        .withRequestTimeout(options.requestTimeout());
  }

  private CompletableFuture<DatastoreConnection> connect(int index) {
    return DatastoreConnection.open(optionsFor(index, index), group);
  }

  private static DatastoreConnection await(CompletableFuture<DatastoreConnection> f, int index) throws IOException {
    try {
      return f.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IOException("client " + index + ": cannot connect: " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IOException("client " + index + ": no connection within 30 s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private final class Client implements BenchClient {
    private final int index;
    private final boolean roaming;
    private final String origin;
    private int endpoint;
    private volatile DatastoreConnection conn;

    Client(int index, boolean roaming, DatastoreConnection conn) {
      this.index = index;
      this.roaming = roaming;
      this.origin = "loadgen-" + index;
      this.endpoint = index;
      this.conn = conn;
    }

    @Override
    public CompletableFuture<Reply> put(int key, byte[] value) {
      Request.Builder req = Request.newBuilder().setPut(Put.newBuilder().setObject(StoredObject.newBuilder()
          .setKey(keys[key])
          .setPayload(ByteString.copyFrom(value))
          .setOrigin(origin)));
      return conn.send(req).handle((resp, err) -> err != null ? failure(err) : putReply(resp));
    }

    @Override
    public CompletableFuture<Reply> get(int key) {
      Request.Builder req = Request.newBuilder().setGet(Get.newBuilder()
          .setKey(keys[key])
          .setRead(ReadOptions.newBuilder().setConsistency(ReadConsistency.LINEARIZABLE)));
      return conn.send(req).handle((resp, err) -> {
        if (err != null) {
          return failure(err);
        }
        if (resp.hasError()) {
          return Reply.failed(resp.getError().getCode().name(), resp.getError().getMessage());
        }
        return resp.getGet().getFound() ? Reply.ok() : Reply.absent();
      });
    }

    private Reply putReply(Response resp) {
      if (resp.hasError()) {
        return Reply.failed(resp.getError().getCode().name(), resp.getError().getMessage());
      }
      if (resp.getWrite().getResultsCount() != 1) {
        return Reply.failed("BAD_WRITE_RESULT", String.valueOf(resp.getWrite()));
      }
      MutationResult m = resp.getWrite().getResults(0);
      if (m.getOutcome() == Outcome.CONFLICT) {
        return Reply.conflicted();
      }
      return m.getOutcome() == Outcome.APPLIED ? Reply.ok()
          : Reply.failed("OUTCOME_" + m.getOutcome().name(), m.getMessage());
    }

    private Reply failure(Throwable err) {
      Throwable cause = err;
      while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
        cause = cause.getCause();
      }
      String problem = cause instanceof DatastoreException de ? de.code().name()
          : cause instanceof TimeoutException ? "TIMEOUT" : cause.getClass().getSimpleName();
      return Reply.failed(problem, String.valueOf(cause));
    }

    @Override
    public boolean needsReconnect() {
      return !conn.isOpen();
    }

    @Override
    public void reconnect(long deadlineNanos) throws InterruptedException {
      conn.close();
      while (System.nanoTime() < deadlineNanos) {
        if (roaming) {
          endpoint++;
        }
        try {
          conn = DatastoreConnection.open(optionsFor(endpoint, index), group).get(5, TimeUnit.SECONDS);
          return;
        } catch (ExecutionException | TimeoutException e) {
          Thread.sleep(roaming ? 20 : 200);
        }
      }
    }

    @Override
    public void close() {
      conn.close();
    }
  }
}
