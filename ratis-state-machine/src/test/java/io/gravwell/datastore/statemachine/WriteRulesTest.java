package io.gravwell.datastore.statemachine;

import static io.gravwell.datastore.statemachine.Entries.atomic;
import static io.gravwell.datastore.statemachine.Entries.casDelete;
import static io.gravwell.datastore.statemachine.Entries.casPut;
import static io.gravwell.datastore.statemachine.Entries.delete;
import static io.gravwell.datastore.statemachine.Entries.key;
import static io.gravwell.datastore.statemachine.Entries.put;
import static io.gravwell.datastore.statemachine.Entries.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.gravwell.datastore.protocol.v1.MutationResult;
import io.gravwell.datastore.protocol.v1.ObjectKey;
import io.gravwell.datastore.protocol.v1.Outcome;
import io.gravwell.datastore.protocol.v1.StoredObject;
import io.gravwell.datastore.statemachine.v1.EntryResult;
import org.junit.jupiter.api.Test;

class WriteRulesTest extends MachineTest {

  final ObjectKey a = key("a");


  StoredObject stored(ObjectKey k) {
    return m.get(k, true).getGet().getObject();
  }

  @Test
  void putOfANewKeyIsAppliedAtTheEntryIndex() {
    EntryResult r = m.apply(write(500, put(a, "v1", 100, "ws1")));

    assertThat(r.getWrite().getRevision()).isEqualTo(1);
    assertThat(r.getIdentity().getRevision()).isEqualTo(1);
    MutationResult mr = r.getWrite().getResults(0);
    assertThat(mr.getOutcome()).isEqualTo(Outcome.APPLIED);
    assertThat(mr.getCurrent().getCreateRev()).isEqualTo(1);
    assertThat(mr.getCurrent().getModRev()).isEqualTo(1);
    assertThat(stored(a).getPayload().toStringUtf8()).isEqualTo("v1");
    assertThat(m.sm.appliedIndex()).isEqualTo(1);
  }

  @Test
  void olderPutLosesWithTheStoredObjectAsCurrent() {
    m.apply(write(500, put(a, "new", 200, "ws1")));

    MutationResult r = m.applyOne(write(501, put(a, "old", 100, "ws2")));

    assertThat(r.getOutcome()).isEqualTo(Outcome.CONFLICT);
    assertThat(r.getCurrent().getPayload().toStringUtf8()).isEqualTo("new");
    assertThat(stored(a).getModRev()).isEqualTo(1);
  }

  @Test
  void equalOrNewerPutWinsAndKeepsCreateRev() {
    m.apply(write(500, put(a, "v1", 100, "ws1")));

    MutationResult same = m.applyOne(write(501, put(a, "v2", 100, "ws1")));
    MutationResult newer = m.applyOne(write(502, put(a, "v3", 101, "ws0")));

    assertThat(same.getOutcome()).isEqualTo(Outcome.APPLIED);
    assertThat(newer.getOutcome()).isEqualTo(Outcome.APPLIED);
    assertThat(stored(a).getCreateRev()).isEqualTo(1);
    assertThat(stored(a).getModRev()).isEqualTo(3);
    assertThat(stored(a).getPayload().toStringUtf8()).isEqualTo("v3");
  }

  @Test
  void originBreaksTimestampTies() {
    m.apply(write(500, put(a, "from-b", 100, "b")));

    assertThat(m.applyOne(write(501, put(a, "from-a", 100, "a"))).getOutcome()).isEqualTo(Outcome.CONFLICT);
    assertThat(m.applyOne(write(502, put(a, "from-c", 100, "c"))).getOutcome()).isEqualTo(Outcome.APPLIED);
  }

  @Test
  void invalidPutsNameTheField() {
    MutationResult zeroTime = m.applyOne(write(500, put(a, "x", 0, "ws")));
    MutationResult noDomain = m.applyOne(write(500, put(key("", "k", "i"), "x", 1, "ws")));
    MutationResult noKind = m.applyOne(write(500, put(key("d", "", "i"), "x", 1, "ws")));
    MutationResult noId = m.applyOne(write(500, put(key("d", "k", ""), "x", 1, "ws")));

    assertThat(zeroTime.getOutcome()).isEqualTo(Outcome.INVALID);
    assertThat(zeroTime.getMessage()).contains("updated_ms");
    assertThat(noDomain.getMessage()).contains("domain");
    assertThat(noKind.getMessage()).contains("kind");
    assertThat(noId.getMessage()).contains("id");
    assertThat(m.sm.dump()).isEmpty();
    assertThat(m.sm.appliedIndex()).isEqualTo(4);
  }

  @Test
  void deleteLeavesATombstoneStampedWithTheEntryTime() {
    m.apply(write(500, put(a, "v1", 100, "ws1")));

    MutationResult r = m.applyOne(write(777, delete(a, 150, "ws2")));

    assertThat(r.getOutcome()).isEqualTo(Outcome.APPLIED);
    StoredObject t = stored(a);
    assertThat(t.getDeleted()).isTrue();
    assertThat(t.getPayload().isEmpty()).isTrue();
    assertThat(t.getDeletedAtMs()).isEqualTo(777);
    assertThat(t.getModRev()).isEqualTo(2);
    assertThat(t.getUpdatedMs()).isEqualTo(150);
    assertThat(m.get(a, false).getGet().getFound()).isFalse();
    assertThat(m.get(a, true).getGet().getFound()).isTrue();
  }

  @Test
  void olderDeleteLoses() {
    m.apply(write(500, put(a, "v1", 200, "ws1")));

    MutationResult r = m.applyOne(write(501, delete(a, 100, "ws2")));

    assertThat(r.getOutcome()).isEqualTo(Outcome.CONFLICT);
    assertThat(stored(a).getDeleted()).isFalse();
  }

  @Test
  void deleteOfAnAbsentKeyStillBeatsALaterArrivingOlderPut() {
    assertThat(m.applyOne(write(500, delete(a, 200, "ws1"))).getOutcome()).isEqualTo(Outcome.APPLIED);

    MutationResult late = m.applyOne(write(501, put(a, "stale", 100, "ws2")));
    MutationResult fresh = m.applyOne(write(502, put(a, "fresh", 300, "ws2")));

    assertThat(late.getOutcome()).isEqualTo(Outcome.CONFLICT);
    assertThat(late.getCurrent().getDeleted()).isTrue();
    assertThat(fresh.getOutcome()).isEqualTo(Outcome.APPLIED);
    assertThat(fresh.getCurrent().getCreateRev()).as("a put over a tombstone creates anew").isEqualTo(3);
  }

  @Test
  void compareAndSetChecksModRevAndBypassesLastWriterWins() {
    m.apply(write(500, put(a, "v1", 200, "ws1")));

    MutationResult wrong = m.applyOne(write(501, casPut(7, a, "x", 300, "ws2")));
    MutationResult right = m.applyOne(write(502, casPut(1, a, "older-but-cas", 100, "ws2")));

    assertThat(wrong.getOutcome()).isEqualTo(Outcome.PRECONDITION_FAILED);
    assertThat(wrong.getCurrent().getModRev()).isEqualTo(1);
    assertThat(right.getOutcome()).isEqualTo(Outcome.APPLIED);
    assertThat(stored(a).getPayload().toStringUtf8()).isEqualTo("older-but-cas");
    assertThat(stored(a).getCreateRev()).isEqualTo(1);
  }

  @Test
  void compareAndSetWithZeroMeansAbsentOrTombstone() {
    ObjectKey b = key("b");
    assertThat(m.applyOne(write(500, casPut(0, a, "created", 1, "ws"))).getOutcome()).isEqualTo(Outcome.APPLIED);
    assertThat(m.applyOne(write(501, casPut(0, a, "again", 2, "ws"))).getOutcome())
        .isEqualTo(Outcome.PRECONDITION_FAILED);

    m.apply(write(502, delete(b, 5, "ws")));
    assertThat(m.applyOne(write(503, casPut(0, b, "over-tombstone", 1, "ws"))).getOutcome())
        .isEqualTo(Outcome.APPLIED);
  }

  @Test
  void compareAndSetDeleteNeverOrdersBeforeWhatItDeleted() {
    m.apply(write(500, put(a, "v1", 9_000, "ws9")));

    MutationResult r = m.applyOne(write(600, casDelete(1, a)));

    assertThat(r.getOutcome()).isEqualTo(Outcome.APPLIED);
    assertThat(r.getCurrent().getDeleted()).isTrue();
    assertThat(r.getCurrent().getDeletedAtMs()).isEqualTo(600);
    assertThat(r.getCurrent().getUpdatedMs()).isEqualTo(9_000);
    assertThat(m.applyOne(write(601, put(a, "retry-of-v1", 9_000, "ws8"))).getOutcome())
        .isEqualTo(Outcome.CONFLICT);
  }

  @Test
  void mutationsOfOneEntryShareItsRevisionAndSeeEachOther() {
    ObjectKey b = key("b");
    EntryResult r = m.apply(write(500,
        put(a, "v1", 100, "ws"),
        casPut(1, a, "v2", 100, "ws"), // sees the put above: its mod_rev is this entry's index, 1
        put(b, "v1", 100, "ws")));

    assertThat(r.getWrite().getResultsList()).extracting(MutationResult::getOutcome)
        .containsExactly(Outcome.APPLIED, Outcome.APPLIED, Outcome.APPLIED);
    assertThat(stored(a).getModRev()).isEqualTo(1);
    assertThat(stored(b).getModRev()).isEqualTo(1);
    assertThat(stored(a).getPayload().toStringUtf8()).isEqualTo("v2");
  }

  @Test
  void atomicBatchAppliesNothingIfOneMutationFails() {
    ObjectKey b = key("b");
    m.apply(write(500, put(a, "v1", 200, "ws")));

    EntryResult r = m.apply(atomic(501,
        put(b, "new", 100, "ws"),
        put(a, "stale", 100, "ws")));

    assertThat(r.getWrite().getResultsList()).extracting(MutationResult::getOutcome)
        .containsExactly(Outcome.ABORTED, Outcome.CONFLICT);
    assertThat(r.getWrite().getResults(0).hasCurrent()).isFalse();
    assertThat(r.getWrite().getResults(1).getCurrent().getPayload().toStringUtf8()).isEqualTo("v1");
    assertThat(m.get(b, true).getGet().getFound()).isFalse();
    assertThat(m.sm.appliedIndex()).isEqualTo(2);
  }

  @Test
  void nonAtomicBatchAppliesWhatItCan() {
    ObjectKey b = key("b");
    m.apply(write(500, put(a, "v1", 200, "ws")));

    EntryResult r = m.apply(write(501, put(b, "new", 100, "ws"), put(a, "stale", 100, "ws")));

    assertThat(r.getWrite().getResultsList()).extracting(MutationResult::getOutcome)
        .containsExactly(Outcome.APPLIED, Outcome.CONFLICT);
    assertThat(stored(b).getModRev()).isEqualTo(2);
  }

  @Test
  void applyListenerSeesEachWriteEntryAfterItCommitted() {
    java.util.List<Long> revisions = new java.util.ArrayList<>();
    java.util.List<Integer> sizes = new java.util.ArrayList<>();
    m.sm.addApplyListener((rev, changes) -> {
      revisions.add(rev);
      sizes.add(changes.size());
      assertThat(m.sm.appliedIndex()).isEqualTo(rev);
    });

    m.apply(write(500, put(a, "v1", 100, "ws"), put(key("b"), "v1", 100, "ws")));
    m.apply(Entries.compact(501, 0));
    m.apply(write(502, put(a, "stale", 1, "ws")));

    assertThat(revisions).containsExactly(1L, 3L);
    assertThat(sizes).containsExactly(2, 0);
  }
}
