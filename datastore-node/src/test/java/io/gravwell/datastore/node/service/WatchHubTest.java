package io.gravwell.datastore.node.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.gravwell.datastore.protocol.v1.Identity;
import io.gravwell.datastore.protocol.v1.Response;
import io.gravwell.datastore.protocol.v1.StoredObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class WatchHubTest {
  private final AtomicLong applied = new AtomicLong(10);
  private final List<Runnable> queued = new ArrayList<>();
  // Runs fan-out only when the test says so, to observe coalescing.
  private final WatchHub hub = new WatchHub(queued::add,
      () -> Identity.newBuilder().setClusterId("c").setIncarnation(1).setRevision(applied.get()).build());

  private void runQueued() {
    List<Runnable> now = new ArrayList<>(queued);
    queued.clear();
    now.forEach(Runnable::run);
  }

  private static List<StoredObject> oneChange() {
    return List.of(StoredObject.getDefaultInstance());
  }

  @Test
  void aWatcherBehindTheCurrentRevisionIsRungAtOnce() {
    List<Response> events = new ArrayList<>();
    hub.watch(5, events::add);
    assertThat(events).singleElement().satisfies(e -> assertThat(e.getWatchEvent().getRevision()).isEqualTo(10));
  }

  @Test
  void aWatcherUpToDateHearsOnlyLaterChanges() {
    List<Response> events = new ArrayList<>();
    hub.watch(10, events::add);
    assertThat(events).isEmpty();
    applied.set(11);
    hub.onApplied(11, oneChange());
    runQueued();
    assertThat(events).extracting(e -> e.getWatchEvent().getRevision()).containsExactly(11L);
  }

  @Test
  void burstsAreCoalescedIntoOneEventNamingTheNewestRevision() {
    List<Response> events = new ArrayList<>();
    hub.watch(10, events::add);
    for (long r = 11; r <= 20; r++) {
      applied.set(r);
      hub.onApplied(r, oneChange());
    }
    assertThat(queued).hasSize(1);
    runQueued();
    assertThat(events).extracting(e -> e.getWatchEvent().getRevision()).containsExactly(20L);
  }

  @Test
  void entriesWithoutDataChangesRingNobodyAndClosedWatchersAreForgotten() throws Exception {
    List<Response> events = new ArrayList<>();
    AutoCloseable w = hub.watch(10, events::add);
    hub.onApplied(11, List.of());
    assertThat(queued).isEmpty();
    w.close();
    assertThat(hub.watcherCount()).isZero();
    hub.onApplied(12, oneChange());
    runQueued();
    assertThat(events).isEmpty();
  }
}
