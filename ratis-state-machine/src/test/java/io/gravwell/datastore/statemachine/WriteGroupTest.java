package io.gravwell.datastore.statemachine;

import static io.gravwell.datastore.statemachine.Entries.atomic;
import static io.gravwell.datastore.statemachine.Entries.casPut;
import static io.gravwell.datastore.statemachine.Entries.key;
import static io.gravwell.datastore.statemachine.Entries.put;
import static io.gravwell.datastore.statemachine.Entries.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.gravwell.datastore.protocol.v1.ObjectKey;
import io.gravwell.datastore.protocol.v1.Outcome;
import io.gravwell.datastore.protocol.v1.WriteResult;
import io.gravwell.datastore.statemachine.v1.EntryResult;
import io.gravwell.datastore.statemachine.v1.LogEntry;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several clients' batches in one entry: one revision, separate outcomes, separate atomicity. */
class WriteGroupTest {
  @TempDir Path dir;
  @TempDir Path other;

  private static LogEntry group(long timestampMs, LogEntry... writes) {
    return Entries.group(timestampMs, Arrays.stream(writes).map(LogEntry::getWrite).toList());
  }

  @Test
  void batchesApplyInOrderShareTheRevisionAndKeepTheirOwnAtomicity() {
    ObjectKey a = key("a");
    ObjectKey b = key("b");
    try (Machine m = Machine.open(dir)) {
      EntryResult r = m.apply(group(500,
          write(500, put(a, "first", 100, "ws1")),
          // sees the first batch's write: mod_rev of a is this entry's index (1)
          write(500, casPut(1, a, "second", 101, "ws2")),
          // atomic batch with a failing CAS: aborted alone
          atomic(500, put(b, "never", 100, "ws3"), casPut(99, a, "x", 102, "ws3"))));

      assertThat(r.getWriteGroup().getResultsList()).hasSize(3)
          .allSatisfy(w -> assertThat(w.getRevision()).isEqualTo(1));
      WriteResult first = r.getWriteGroup().getResults(0);
      WriteResult second = r.getWriteGroup().getResults(1);
      WriteResult third = r.getWriteGroup().getResults(2);
      assertThat(first.getResults(0).getOutcome()).isEqualTo(Outcome.APPLIED);
      assertThat(second.getResults(0).getOutcome()).isEqualTo(Outcome.APPLIED);
      assertThat(third.getResultsList()).extracting(x -> x.getOutcome())
          .containsExactly(Outcome.ABORTED, Outcome.PRECONDITION_FAILED);
      assertThat(m.get(a, false).getGet().getObject().getPayload().toStringUtf8()).isEqualTo("second");
      assertThat(m.get(b, false).getGet().getFound()).isFalse();
      assertThat(m.changes(0, 10).getChanges().getChangesList()).hasSize(1);
    }
  }

  @Test
  void aGroupEndsInTheSameStateAsItsBatchesAppliedInOneEntryEach() {
    ObjectKey a = key("a");
    ObjectKey b = key("b");
    LogEntry w1 = write(500, put(a, "v1", 100, "ws1"), put(b, "v1", 100, "ws1"));
    LogEntry w2 = write(500, put(a, "v0", 50, "ws2"));
    try (Machine grouped = Machine.open(dir); Machine single = Machine.open(other)) {
      grouped.apply(group(500, w1, w2));
      single.apply(w1);
      single.apply(w2);
      for (ObjectKey k : new ObjectKey[] {a, b}) {
        // Revisions differ (one entry against two); everything the writers decided must not.
        assertThat(grouped.get(k, true).getGet().getObject().toBuilder().clearModRev().clearCreateRev().build())
            .isEqualTo(single.get(k, true).getGet().getObject().toBuilder().clearModRev().clearCreateRev().build());
      }
    }
  }
}
