package io.gravwell.datastore.bench;

import com.google.protobuf.ByteString;
import io.gravwell.datastore.protocol.client.ConnectionOptions;
import io.gravwell.datastore.protocol.client.DatastoreConnection;
import io.gravwell.datastore.protocol.client.DatastoreException;
import io.gravwell.datastore.protocol.v1.Get;
import io.gravwell.datastore.protocol.v1.HelloResult;
import io.gravwell.datastore.protocol.v1.Member;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Our cluster, over the Netty client port. The clients bound to one endpoint share one pipelined
 * DatastoreConnection, as EtcdTarget's clients share one jetcd channel per endpoint and as a webserver shares
 * its connection among its request threads; {@code --connection-per-client} gives each client its own.
 * Puts go over the leader's connection, as the webserver client sends its writes (the leader is learnt
 * once, from a Hello); {@code --writes-anywhere} keeps them on the client's own endpoint, whose node
 * forwards them.
 */
final class DatastoreTarget implements BenchTarget {

  private final TargetOptions options;
  private final String secret;
  private final SslContext sslContext;
  private final EventLoopGroup group;
  private final ObjectKey[] keys;
  private final Map<Integer, Line> shared = new HashMap<>(); // by endpoint index; guarded by itself
  private Integer leaderEndpoint; // guarded by shared; -1 when no endpoint is the leader's

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
    return client(index);
  }

  @Override
  public BenchClient openRoaming(int index) throws Exception {
    Line roaming = ownLine(index, Line.Use.ROAMING);
    return new Client(index, roaming, roaming);
  }

  /** Opens all connections at once: TLS handshakes one after another would take seconds at C=64. */
  @Override
  public List<BenchClient> openAll(int n) throws Exception {
    if (!options.connectionPerClient) {
      List<BenchClient> clients = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        clients.add(client(i));
      }
      return clients;
    }
    List<CompletableFuture<DatastoreConnection>> pending = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      pending.add(connect(i, ownName(i)));
    }
    List<BenchClient> clients = new ArrayList<>();
    Exception failure = null;
    for (int i = 0; i < n; i++) {
      try {
        Line own = new Line(i, ownName(i), Line.Use.OWN, await(pending.get(i), i));
        clients.add(new Client(i, own, own));
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

  private Client client(int index) throws IOException {
    Line reads = lineFor(index);
    Line writes = options.connectionPerClient || options.writesAnywhere ? reads : leaderLine(index);
    return new Client(index, reads, writes);
  }

  /** The shared line to the leader's endpoint, or the client's own endpoint's when none is the leader's. */
  private Line leaderLine(int index) throws IOException {
    int endpoint;
    synchronized (shared) {
      if (leaderEndpoint == null) {
        leaderEndpoint = endpointOf(lineFor(0).conn.hello());
      }
      endpoint = leaderEndpoint;
    }
    return lineFor(endpoint < 0 ? index : endpoint);
  }

  /** Index in --endpoints of the leader named by {@code hello}, or -1. */
  private int endpointOf(HelloResult hello) {
    for (Member m : hello.getMembersList()) {
      if (m.getId().equals(hello.getLeaderId())) {
        return options.endpoints.stream().map(String::strip).toList().indexOf(m.getClientAddress());
      }
    }
    return -1;
  }

  /**
   * Client {@code index}'s line: its own connection, or the one its endpoint's clients share, opened on first
   * use and kept for the target's life, as jetcd keeps one channel per endpoint.
   */
  private Line lineFor(int index) throws IOException {
    if (options.connectionPerClient) {
      return ownLine(index, Line.Use.OWN);
    }
    int endpoint = Math.floorMod(index, options.endpoints.size());
    synchronized (shared) {
      Line line = shared.get(endpoint);
      if (line == null) {
        String name = "loadgen-endpoint-" + endpoint;
        line = new Line(endpoint, name, Line.Use.SHARED, await(connect(endpoint, name), index));
        shared.put(endpoint, line);
      }
      return line;
    }
  }

  private Line ownLine(int index, Line.Use use) throws IOException {
    return new Line(index, ownName(index), use, await(connect(index, ownName(index)), index));
  }

  /** The client name a client's own connection says Hello with; also its writes' origin. */
  private static String ownName(int index) {
    return "loadgen-" + index;
  }

  @Override
  public void close() {
    synchronized (shared) {
      shared.values().forEach(line -> line.conn.close());
      shared.clear();
    }
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
  }

  private ConnectionOptions optionsFor(int endpointIndex, String clientName) {
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
    return ConnectionOptions.of(host, port, sslContext, secret, clientName)
        .withRequestTimeout(options.requestTimeout());
  }

  private CompletableFuture<DatastoreConnection> connect(int endpointIndex, String name) {
    return DatastoreConnection.open(optionsFor(endpointIndex, name), group);
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

  /** One connection and whoever sends over it; replaced once when it breaks, however many clients saw it. */
  private final class Line {
    /** OWN: one client's; SHARED: its endpoint's clients'; ROAMING: one client's, moving on when it breaks. */
    enum Use { OWN, SHARED, ROAMING }

    private final String name;
    private final Use use;
    private int endpoint;
    private volatile DatastoreConnection conn;

    Line(int endpoint, String name, Use use, DatastoreConnection conn) {
      this.endpoint = endpoint;
      this.name = name;
      this.use = use;
      this.conn = conn;
    }

    synchronized void replace(DatastoreConnection broken, long deadlineNanos) throws InterruptedException {
      if (conn != broken) {
        return; // another client of this line replaced it already
      }
      broken.close();
      while (System.nanoTime() < deadlineNanos) {
        if (use == Use.ROAMING) {
          endpoint++;
        }
        try {
          conn = connect(endpoint, name).get(5, TimeUnit.SECONDS);
          return;
        } catch (ExecutionException | TimeoutException e) {
          Thread.sleep(use == Use.ROAMING ? 20 : 200);
        }
      }
    }
  }

  private final class Client implements BenchClient {
    private final String origin;
    private final Line line;
    private final Line writes;

    Client(int index, Line line, Line writes) {
      this.origin = ownName(index);
      this.line = line;
      this.writes = writes;
    }

    @Override
    public CompletableFuture<Reply> put(int key, byte[] value) {
      Request.Builder req = Request.newBuilder().setPut(Put.newBuilder().setObject(StoredObject.newBuilder()
          .setKey(keys[key])
          .setPayload(ByteString.copyFrom(value))
          .setOrigin(origin)));
      return writes.conn.send(req).handle((resp, err) -> err != null ? failure(err) : putReply(resp));
    }

    @Override
    public CompletableFuture<Reply> get(int key) {
      Request.Builder req = Request.newBuilder().setGet(Get.newBuilder()
          .setKey(keys[key])
          .setRead(ReadOptions.newBuilder().setConsistency(ReadConsistency.LINEARIZABLE)));
      return line.conn.send(req).handle((resp, err) -> {
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
      return !line.conn.isOpen() || !writes.conn.isOpen();
    }

    @Override
    public void reconnect(long deadlineNanos) throws InterruptedException {
      for (Line l : List.of(line, writes)) {
        DatastoreConnection c = l.conn;
        if (!c.isOpen()) {
          l.replace(c, deadlineNanos); // a healthy shared line stays as it is
        }
      }
    }

    @Override
    public void close() {
      if (line.use != Line.Use.SHARED) {
        line.conn.close(); // an unshared line carries the client's writes too
      }
    }
  }
}
