package io.gravwell.datastore.client.cluster;

import io.gravwell.datastore.client.RemoteDatastore;
import io.gravwell.datastore.protocol.client.ConnectionOptions;
import io.gravwell.datastore.protocol.client.DatastoreConnection;
import io.gravwell.datastore.protocol.client.DatastoreException;
import io.gravwell.datastore.protocol.v1.Batch;
import io.gravwell.datastore.protocol.v1.ChangesSince;
import io.gravwell.datastore.protocol.v1.ErrorCode;
import io.gravwell.datastore.protocol.v1.Identity;
import io.gravwell.datastore.protocol.v1.List;
import io.gravwell.datastore.protocol.v1.Ping;
import io.gravwell.datastore.protocol.v1.ReadConsistency;
import io.gravwell.datastore.protocol.v1.ReadOptions;
import io.gravwell.datastore.protocol.v1.Request;
import io.gravwell.datastore.protocol.v1.Response;
import io.gravwell.datastore.protocol.wire.Frames;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webserver's view of the cluster over real sockets. Writes go to the leader (found through Hello;
 * any node would forward, the leader saves a hop). Sync reads go to one node picked at random, at the
 * webserver's last revision, so a fleet's read load spreads over every member. A node that fails or
 * lags is skipped: the next endpoint is tried until the request timeout.
 *
 * <p>Never backwards: a read answered from the same identity at a revision older than one already seen
 * is retried on another node. An answer from a different identity is returned as it is: deciding what
 * that means is the identity check's job, not the transport's.
 */
public final class ClusterClient implements RemoteDatastore {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterClient.class);
  /** Answers that say "this node cannot help now; another may". */
  private static final Set<ErrorCode> TRY_ELSEWHERE = EnumSet.of(
      ErrorCode.UNAVAILABLE, ErrorCode.REVISION_NOT_REACHED, ErrorCode.CLUSTER_INITIALIZING, ErrorCode.NOT_LEADER);

  /** Writes of one client in flight at once; a sync pushes one page (a few MiB) at a time anyway. */
  private static final int WRITE_THREADS = 4;

  private final ClusterClientSettings settings;
  private final Endpoints endpoints;
  private final Object connectLock = new Object();
  private final AtomicInteger failovers = new AtomicInteger();
  private volatile DatastoreConnection writer;
  private volatile DatastoreConnection reader;
  private volatile Identity highest = Identity.getDefaultInstance();
  private volatile boolean closed;
  private volatile int maxEntryBytes;
  /** Threads for {@link #writeAsync}: none while idle, so a thousand quiet clients in one JVM cost nothing. */
  private final ThreadPoolExecutor writers;

  public ClusterClient(ClusterClientSettings settings, RandomGenerator random) {
    this.settings = settings;
    this.endpoints = new Endpoints(settings.endpoints(), random);
    this.writers = new ThreadPoolExecutor(WRITE_THREADS, WRITE_THREADS, 30, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), r -> {
          Thread t = new Thread(r, "datastore-write");
          t.setDaemon(true);
          return t;
        });
    writers.allowCoreThreadTimeOut(true);
  }

  @Override
  public Response ping(Identity lastSynced) {
    if (lastSynced != null) {
      observe(lastSynced);
    }
    return read(Request.newBuilder().setPing(Ping.getDefaultInstance()));
  }

  @Override
  public Response changesSince(long afterRevision, int limit, long minRevision) {
    return read(Request.newBuilder().setChanges(ChangesSince.newBuilder()
        .setAfterRevision(afterRevision).setLimit(limit).setRead(atLeast(minRevision))));
  }

  @Override
  public Response list(String domain, String kind, String pageToken, int limit, long minRevision) {
    return read(Request.newBuilder().setList(List.newBuilder()
        .setDomain(domain).setKind(kind).setPageToken(pageToken).setLimit(limit).setRead(atLeast(minRevision))));
  }

  /**
   * Put and Delete are idempotent under last-writer-wins (the same (updated_ms, origin) applies again
   * harmlessly), so a write whose node died is simply sent again elsewhere.
   */
  @Override
  public Response write(Batch batch) {
    return exchange(Request.newBuilder().setBatch(batch), true);
  }

  /** On one of a few threads of this client, which keep write's retries and failover. */
  @Override
  public CompletableFuture<Response> writeAsync(Batch batch) {
    try {
      return CompletableFuture.supplyAsync(() -> write(batch), writers);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(new DatastoreException(ErrorCode.UNAVAILABLE, "client closed"));
    }
  }

  @Override
  public AutoCloseable watch(long afterRevision, Consumer<Identity> onChange) {
    return new Doorbell(this, afterRevision, onChange);
  }

  /** What the last node that said Hello accepts per entry; 0 until one did. */
  @Override
  public int maxEntryBytes() {
    return maxEntryBytes;
  }

  /** How often this client moved to another node; for metrics. */
  public int failovers() {
    return failovers.get();
  }

  @Override
  public void close() {
    closed = true;
    writers.shutdown();
    closeQuietly(writer);
    closeQuietly(reader);
  }

  // ---- reads ---------------------------------------------------------------------------------------

  private Response read(Request.Builder request) {
    return exchange(request, false);
  }

  /**
   * Sends on the writer (leader) or reader connection, moving to another node on a connection failure,
   * an answer that says another node may help, or (reads only) an answer from behind a revision already
   * seen; gives up with UNAVAILABLE at the request timeout.
   */
  private Response exchange(Request.Builder request, boolean toLeader) {
    long deadline = System.nanoTime() + settings.requestTimeout().toNanos();
    DatastoreException last = null;
    Response behind = null;
    int behindAnswers = 0;
    String avoid = null;
    while (System.nanoTime() < deadline && !closed) {
      DatastoreConnection conn;
      try {
        conn = toLeader ? writer(avoid) : reader(avoid);
      } catch (DatastoreException e) {
        last = e;
        avoid = null;
        pause();
        continue;
      }
      try {
        Response r = await(conn, request, attemptNanos(deadline));
        if (r.hasError() && TRY_ELSEWHERE.contains(r.getError().getCode())) {
          last = DatastoreException.of(r.getError());
        } else if (!toLeader && wentBackwards(r.getIdentity())) {
          LOG.info("{}:{} answered at revision {}, behind revision {} already seen; asking another node",
              conn.options().host(), conn.options().port(), r.getIdentity().getRevision(), highest.getRevision());
          last = new DatastoreException(ErrorCode.REVISION_NOT_REACHED, "node is behind");
          if (behind == null || r.getIdentity().getRevision() > behind.getIdentity().getRevision()) {
            behind = r;
          }
          if (++behindAnswers >= 2 * endpoints.size()) {
            // Every node, twice: the history really is behind. The identity check decides what that means.
            return behind;
          }
        } else {
          observe(r.getIdentity());
          return r;
        }
      } catch (DatastoreException e) {
        last = e;
      }
      // The next attempt goes elsewhere: reconnecting first to a node that just timed out would spend
      // the time left on its Hello.
      avoid = endpointOf(conn);
      drop(conn, toLeader);
    }
    if (behind != null) {
      return behind;
    }
    throw unavailable(last);
  }

  /**
   * A node that stops answering (a frozen process, a long pause) keeps its connection open, so waiting for
   * it until the request's deadline would fail the request while the other members are healthy, and put
   * the webserver in degraded mode. One attempt gets at most half the request timeout; the rest is left
   * for another node.
   */
  private long attemptNanos(long deadline) {
    return Math.max(0, Math.min(deadline - System.nanoTime(), settings.requestTimeout().toNanos() / 2));
  }

  private static String endpointOf(DatastoreConnection conn) {
    return conn.options().host() + ":" + conn.options().port();
  }

  private boolean wentBackwards(Identity id) {
    Identity h = highest;
    return sameIdentity(h, id) && id.getRevision() < h.getRevision();
  }

  private void observe(Identity id) {
    if (id.getClusterId().isEmpty()) {
      return;
    }
    synchronized (this) {
      if (!sameIdentity(highest, id) || id.getRevision() > highest.getRevision()) {
        highest = id;
      }
    }
  }

  private static boolean sameIdentity(Identity a, Identity b) {
    return a.getClusterId().equals(b.getClusterId()) && a.getIncarnation() == b.getIncarnation();
  }

  private static ReadOptions atLeast(long minRevision) {
    return ReadOptions.newBuilder().setConsistency(ReadConsistency.AT_LEAST).setMinRevision(minRevision).build();
  }

  // ---- connections ---------------------------------------------------------------------------------

  /** The leader's connection, or any node's (which forwards writes); not {@code avoid}'s if it can help it. */
  private DatastoreConnection writer(String avoid) {
    DatastoreConnection w = writer;
    if (w != null && w.isOpen()) {
      return w;
    }
    synchronized (connectLock) {
      if (writer != null && writer.isOpen()) {
        return writer;
      }
      DatastoreConnection any = connectAny(avoid);
      String leader = endpoints.leader();
      String here = endpointOf(any);
      if (leader != null && !leader.equals(here) && !leader.equals(avoid)) {
        try {
          DatastoreConnection toLeader = connect(leader);
          any.close();
          any = toLeader;
        } catch (DatastoreException e) {
          LOG.debug("leader {} unreachable, writing through {}: {}", leader, here, e.getMessage());
        }
      }
      writer = any;
      return any;
    }
  }

  private DatastoreConnection reader(String avoid) {
    DatastoreConnection r = reader;
    if (r != null && r.isOpen()) {
      return r;
    }
    synchronized (connectLock) {
      if (reader == null || !reader.isOpen()) {
        reader = connectAny(avoid);
      }
      return reader;
    }
  }

  /**
   * Connects to the first endpoint of the rotation that answers Hello, skipping {@code avoid} unless it is
   * the only endpoint known.
   */
  DatastoreConnection connectAny(String avoid) {
    DatastoreException last = null;
    java.util.List<String> rotation = endpoints.rotation();
    for (String endpoint : rotation) {
      if (endpoint.equals(avoid) && rotation.size() > 1) {
        continue;
      }
      try {
        return connect(endpoint);
      } catch (DatastoreException e) {
        if (e.code() == ErrorCode.AUTH_FAILED || e.code() == ErrorCode.UNSUPPORTED_VERSION) {
          throw e; // configuration errors: every node will say the same
        }
        last = e;
      }
    }
    throw unavailable(last);
  }

  private DatastoreConnection connect(String endpoint) {
    int colon = endpoint.lastIndexOf(':');
    String host = endpoint.substring(0, colon).replace("[", "").replace("]", "");
    int port = Integer.parseInt(endpoint.substring(colon + 1));
    ConnectionOptions options = new ConnectionOptions(host, port, settings.sslContext(), settings.secret(),
        settings.webserverId(), Frames.DEFAULT_MAX_FRAME_BYTES, settings.connectTimeout(), settings.requestTimeout());
    try {
      DatastoreConnection conn = DatastoreConnection.open(options)
          .get(settings.connectTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
      endpoints.learn(conn.hello());
      maxEntryBytes = conn.hello().getMaxEntryBytes();
      return conn;
    } catch (ExecutionException e) {
      throw e.getCause() instanceof DatastoreException d ? d
          : new DatastoreException(ErrorCode.UNAVAILABLE, endpoint + ": " + e.getCause());
    } catch (TimeoutException e) {
      throw new DatastoreException(ErrorCode.UNAVAILABLE, endpoint + ": no answer to Hello");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DatastoreException(ErrorCode.UNAVAILABLE, "interrupted");
    }
  }

  private void drop(DatastoreConnection conn, boolean writerConnection) {
    synchronized (connectLock) {
      if (writerConnection && writer == conn) {
        writer = null;
        failovers.incrementAndGet();
      } else if (!writerConnection && reader == conn) {
        reader = null;
        failovers.incrementAndGet();
      }
    }
    closeQuietly(conn);
  }

  private Response await(DatastoreConnection conn, Request.Builder request, long timeoutNanos) {
    try {
      return conn.send(request.clone()).get(timeoutNanos, TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof DatastoreException d ? d
          : new DatastoreException(ErrorCode.UNAVAILABLE, String.valueOf(e.getCause()));
    } catch (TimeoutException e) {
      throw new DatastoreException(ErrorCode.TIMEOUT, endpointOf(conn) + ": no answer within "
          + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DatastoreException(ErrorCode.UNAVAILABLE, "interrupted");
    }
  }

  private static void pause() {
    try {
      Thread.sleep(100); // between rounds over every endpoint: they all just failed
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static DatastoreException unavailable(DatastoreException last) {
    return new DatastoreException(ErrorCode.UNAVAILABLE,
        "no datastore node answered" + (last == null ? "" : " (last error: " + last.getMessage() + ")"));
  }

  static void closeQuietly(DatastoreConnection c) {
    if (c != null) {
      c.close();
    }
  }

  boolean isClosed() {
    return closed;
  }
}
