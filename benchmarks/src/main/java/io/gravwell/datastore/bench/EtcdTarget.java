package io.gravwell.datastore.bench;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.common.exception.EtcdException;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An etcd cluster through the official Java client (jetcd). Puts are plain KV puts; gets use jetcd's
 * default GetOption, which is a linearizable (not serializable) range request.
 *
 * <p>jetcd multiplexes calls over one gRPC channel per client, the way etcd is meant to be used, so the
 * benchmark clients bound to the same endpoint share one jetcd Client (each benchmark client still keeps
 * exactly one request outstanding). Roaming clients share one Client over all endpoints and let gRPC's
 * round-robin balancer skip a dead member.
 */
final class EtcdTarget implements BenchTarget {

  private static final String ALL = "*";

  private final TargetOptions options;
  private final ByteSequence[] keys;
  private final ExecutorService executor;
  private final Map<String, Client> clients = new ConcurrentHashMap<>();

  EtcdTarget(TargetOptions options, int keySpace) {
    this.options = options;
    this.keys = new ByteSequence[keySpace];
    for (int i = 0; i < keySpace; i++) {
      keys[i] = ByteSequence.from(options.domain + "/" + options.objectKind + "/" + TargetOptions.keyId(i),
          StandardCharsets.UTF_8);
    }
    AtomicInteger n = new AtomicInteger();
    this.executor = Executors.newFixedThreadPool(Math.max(1, options.ioThreads), r -> {
      Thread t = new Thread(r, "etcd-client-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  @Override
  public String name() {
    return "etcd";
  }

  @Override
  public BenchClient open(int index) {
    String endpoint = options.endpoints.get(index % options.endpoints.size()).strip();
    return new View(shared(endpoint, endpoint));
  }

  @Override
  public BenchClient openRoaming(int index) {
    return new View(shared(ALL, options.endpoints.stream().map(String::strip).toArray(String[]::new)));
  }

  private KV shared(String name, String... endpoints) {
    return clients.computeIfAbsent(name, k -> Client.builder().endpoints(endpoints).executorService(executor)
        .build()).getKVClient();
  }

  @Override
  public void close() {
    clients.values().forEach(Client::close);
    executor.shutdownNow();
  }

  private final class View implements BenchClient {
    private final KV kv;

    View(KV kv) {
      this.kv = kv;
    }

    @Override
    public CompletableFuture<Reply> put(int key, byte[] value) {
      return kv.put(keys[key], ByteSequence.from(value))
          .orTimeout(options.requestTimeoutSeconds, TimeUnit.SECONDS)
          .handle((resp, err) -> err != null ? failure(err) : Reply.ok());
    }

    @Override
    public CompletableFuture<Reply> get(int key) {
      return kv.get(keys[key])
          .orTimeout(options.requestTimeoutSeconds, TimeUnit.SECONDS)
          .handle((resp, err) -> err != null ? failure(err) : resp.getKvs().isEmpty() ? Reply.absent() : Reply.ok());
    }

    private Reply failure(Throwable err) {
      Throwable cause = err;
      while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
        cause = cause.getCause();
      }
      String problem = cause instanceof EtcdException ee ? "ETCD_" + ee.getErrorCode()
          : cause instanceof StatusRuntimeException se ? "GRPC_" + se.getStatus().getCode()
          : cause instanceof TimeoutException ? "TIMEOUT" : cause.getClass().getSimpleName();
      return Reply.failed(problem, String.valueOf(cause));
    }

    @Override
    public boolean needsReconnect() {
      return false; // the gRPC channel reconnects by itself
    }

    @Override
    public void reconnect(long deadlineNanos) {
      // nothing to do: see needsReconnect
    }

    @Override
    public void close() {
      // the shared jetcd Client is closed with the target
    }
  }
}
