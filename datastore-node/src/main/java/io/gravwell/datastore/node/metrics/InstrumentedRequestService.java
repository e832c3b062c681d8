package io.gravwell.datastore.node.metrics;

import io.gravwell.datastore.node.net.RequestService;
import io.gravwell.datastore.protocol.v1.HelloResult;
import io.gravwell.datastore.protocol.v1.Identity;
import io.gravwell.datastore.protocol.v1.MutationResult;
import io.gravwell.datastore.protocol.v1.Outcome;
import io.gravwell.datastore.protocol.v1.Request;
import io.gravwell.datastore.protocol.v1.Response;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Times every request by operation and result around the real {@link RequestService}, so the service itself
 * stays free of metrics code. Recording happens in the completion callback: no thread is held and the
 * Netty event loop that called {@link #handle} returns at once, as before.
 */
public final class InstrumentedRequestService implements RequestService {
  private final RequestService delegate;
  private final MeterRegistry registry;
  private final Map<Outcome, Counter> mutations = new EnumMap<>(Outcome.class);
  private final Counter hellos;
  private final AtomicInteger watches = new AtomicInteger();

  public InstrumentedRequestService(RequestService delegate, MeterRegistry registry) {
    this.delegate = delegate;
    this.registry = registry;
    for (Outcome o : Outcome.values()) {
      if (o != Outcome.UNRECOGNIZED) {
        // Registered up front so that "no conflicts" is a visible 0, not a missing series.
        mutations.put(o, Counter.builder("datastore.write.mutations")
            .description("Mutations applied or refused inside write requests, by outcome (conflict = lost"
                + " last-writer-wins)")
            .tag("outcome", o.name().toLowerCase(Locale.ROOT))
            .register(registry));
      }
    }
    hellos = Counter.builder("datastore.client.hellos")
        .description("Authenticated Hello handshakes (client sessions started)")
        .register(registry);
    Gauge.builder("datastore.client.watches", watches, AtomicInteger::get)
        .description("Open watch streams (change doorbells) on this node").register(registry);
    // Pre-register the common series so dashboards show a rate of 0 rather than nothing on an idle node.
    for (String op : new String[] {"put", "get"}) {
      timer(op, "ok");
    }
  }

  @Override
  public HelloResult describe() {
    hellos.increment();
    return delegate.describe();
  }

  @Override
  public Identity identity() {
    return delegate.identity();
  }

  @Override
  public CompletableFuture<Response> handle(Request request) {
    long start = System.nanoTime();
    String op = RequestLabels.op(request);
    CompletableFuture<Response> answer;
    try {
      answer = delegate.handle(request);
    } catch (RuntimeException e) {
      timer(op, "exception").record(Duration.ofNanos(System.nanoTime() - start));
      throw e;
    }
    // whenComplete returns a new future; the caller gets the original, so metrics cannot change the answer.
    answer.whenComplete((response, error) -> {
      timer(op, RequestLabels.result(response, error)).record(Duration.ofNanos(System.nanoTime() - start));
      if (response != null && response.hasWrite()) {
        for (MutationResult m : response.getWrite().getResultsList()) {
          Counter c = mutations.get(m.getOutcome());
          if (c != null) {
            c.increment();
          }
        }
      }
    });
    return answer;
  }

  @Override
  public AutoCloseable watch(long afterRevision, Consumer<Response> sink) {
    AutoCloseable watch = delegate.watch(afterRevision, sink);
    watches.incrementAndGet();
    return new AutoCloseable() {
      private boolean closed;

      @Override
      public void close() throws Exception {
        synchronized (this) {
          if (closed) {
            return;
          }
          closed = true;
        }
        watches.decrementAndGet();
        watch.close();
      }
    };
  }

  @Override
  public void backup(io.gravwell.datastore.protocol.v1.Backup request, io.gravwell.datastore.node.net.ResponseStream out) {
    delegate.backup(request, out);
  }

  private Timer timer(String op, String result) {
    // Micrometer caches meters by id: this lookup is a map hit after the first call.
    return Timer.builder("datastore.requests")
        .description("Client requests handled by this node, by operation and result (ok or the error code)")
        .tag("op", op)
        .tag("result", result)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofSeconds(30))
        .register(registry);
  }
}
