package io.gravwell.datastore.statemachine;

import static io.gravwell.datastore.statemachine.Entries.key;
import static io.gravwell.datastore.statemachine.Entries.put;
import static io.gravwell.datastore.statemachine.Entries.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.gravwell.datastore.protocol.v1.ObjectKey;
import io.gravwell.datastore.protocol.v1.Outcome;
import io.gravwell.datastore.protocol.v1.StoredObject;
import io.gravwell.datastore.statemachine.v1.Compact;
import io.gravwell.datastore.statemachine.v1.EntryResult;
import io.gravwell.datastore.statemachine.v1.Expiry;
import io.gravwell.datastore.statemachine.v1.LogEntry;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Registry trimming: decided by the cutoff in the entry, never by the applying node's clock. */
class ExpiryTest {
  @TempDir Path dir;

  private static LogEntry expire(long entryTimeMs, String kind, long cutoffMs) {
    return LogEntry.newBuilder().setTimestampMs(entryTimeMs).setCompact(Compact.newBuilder()
        .setCutoffMs(0).addExpiries(Expiry.newBuilder().setKind(kind).setCutoffMs(cutoffMs))).build();
  }

  @Test
  void staleObjectsOfTheExpiringKindBecomeTombstonesAndOthersStay() {
    ObjectKey stale = key("d1", "webserver", "ws-stale");
    ObjectKey fresh = key("d2", "webserver", "ws-fresh");
    ObjectKey other = key("d1", "dashboard", "old-but-not-expiring");
    try (Machine m = Machine.open(dir)) {
      m.apply(write(1000, put(stale, "a", 100, "ws-stale"), put(fresh, "b", 900, "ws-fresh"), put(other, "c", 50, "ws1")));
      EntryResult r = m.apply(expire(1000, "webserver", 500));

      assertThat(r.getCompact().getExpired()).isEqualTo(1);
      StoredObject t = m.get(stale, true).getGet().getObject();
      assertThat(t.getDeleted()).isTrue();
      assertThat(t.getModRev()).isEqualTo(2);
      assertThat(t.getDeletedAtMs()).isEqualTo(1000);
      assertThat(m.get(fresh, false).getGet().getFound()).isTrue();
      assertThat(m.get(other, false).getGet().getFound()).isTrue();
      // Webservers learn it like any delete: the tombstone is a change after revision 1.
      assertThat(m.changes(1, 10).getChanges().getChangesList()).extracting(o -> o.getKey().getId())
          .containsExactly("ws-stale");
    }
  }

  @Test
  void aHeartbeatAfterTheCutoffBringsTheEntryBackAndALateCopyOfTheStaleOneDoesNot() {
    ObjectKey ws = key("d1", "webserver", "ws");
    try (Machine m = Machine.open(dir)) {
      m.apply(write(1000, put(ws, "old", 100, "ws")));
      m.apply(expire(1000, "webserver", 500));
      assertThat(m.applyOne(write(1100, put(ws, "old", 100, "ws"))).getOutcome()).isEqualTo(Outcome.CONFLICT);
      assertThat(m.applyOne(write(1100, put(ws, "back", 600, "ws"))).getOutcome()).isEqualTo(Outcome.APPLIED);
      assertThat(m.get(ws, false).getGet().getObject().getPayload().toStringUtf8()).isEqualTo("back");
    }
  }
}
