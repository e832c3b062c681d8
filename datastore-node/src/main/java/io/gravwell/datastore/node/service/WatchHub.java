package io.gravwell.datastore.node.service;

import io.gravwell.datastore.protocol.v1.Identity;
import io.gravwell.datastore.protocol.v1.Response;
import io.gravwell.datastore.protocol.v1.StoredObject;
import io.gravwell.datastore.protocol.v1.WatchEvent;
import io.gravwell.datastore.statemachine.ApplyListener;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Rings every watching webserver's doorbell when data changes. Apply only records the newest revision
 * (it runs on the state machine's apply thread and must stay cheap); one fan-out task, coalescing bursts,
 * tells the watchers. An event names the newest revision; the webserver pulls the changes themselves.
 */
public final class WatchHub implements ApplyListener {
  private final Set<Watcher> watchers = ConcurrentHashMap.newKeySet();
  private final AtomicLong latest = new AtomicLong();
  private final AtomicBoolean fanOutPending = new AtomicBoolean();
  private final Executor fanOut;
  private final Supplier<Identity> identity;

  public WatchHub(Executor fanOut, Supplier<Identity> identity) {
    this.fanOut = fanOut;
    this.identity = identity;
  }

  @Override
  public void onApplied(long revision, List<StoredObject> changes) {
    if (changes.isEmpty()) {
      return;
    }
    latest.accumulateAndGet(revision, Math::max);
    if (fanOutPending.compareAndSet(false, true)) {
      fanOut.execute(this::fanOut);
    }
  }

  private void fanOut() {
    fanOutPending.set(false);
    long revision = latest.get();
    Identity id = identity.get();
    for (Watcher w : watchers) {
      w.offer(revision, id);
    }
  }

  /**
   * Starts a stream of events for changes after {@code afterRevision}. If the state is already past it,
   * the first event goes out at once, so a webserver that missed changes while reconnecting pulls them.
   */
  public AutoCloseable watch(long afterRevision, Consumer<Response> sink) {
    Watcher w = new Watcher(afterRevision, sink);
    watchers.add(w);
    Identity id = identity.get();
    w.offer(id.getRevision(), id);
    return () -> watchers.remove(w);
  }

  public int watcherCount() {
    return watchers.size();
  }

  private static final class Watcher {
    private final Consumer<Response> sink;
    private long lastSent;

    Watcher(long afterRevision, Consumer<Response> sink) {
      this.sink = sink;
      this.lastSent = afterRevision;
    }

    synchronized void offer(long revision, Identity identity) {
      if (revision <= lastSent) {
        return;
      }
      lastSent = revision;
      sink.accept(Response.newBuilder()
          .setIdentity(identity)
          .setWatchEvent(WatchEvent.newBuilder().setRevision(revision))
          .build());
    }
  }
}
