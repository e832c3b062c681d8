package io.gravwell.datastore.statemachine;

import static io.gravwell.datastore.statemachine.Entries.compact;
import static io.gravwell.datastore.statemachine.Entries.delete;
import static io.gravwell.datastore.statemachine.Entries.initIdentity;
import static io.gravwell.datastore.statemachine.Entries.key;
import static io.gravwell.datastore.statemachine.Entries.put;
import static io.gravwell.datastore.statemachine.Entries.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.gravwell.datastore.protocol.v1.ErrorCode;
import io.gravwell.datastore.protocol.v1.StoredObject;
import io.gravwell.datastore.statemachine.v1.EntryResult;
import io.gravwell.datastore.statemachine.v1.LogEntry;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IdentityAndCompactionTest extends MachineTest {


  @Test
  void firstIdentityWinsAndIncarnationStartsAtOne() {
    assertThat(m.sm.hasIdentity()).isFalse();
    assertThat(m.sm.currentIdentity().getClusterId()).isEmpty();

    EntryResult first = m.apply(initIdentity(1, "cluster-A"));
    EntryResult second = m.apply(initIdentity(2, "cluster-B"));

    assertThat(first.getIdentityInitialized()).isTrue();
    assertThat(second.getIdentityInitialized()).isFalse();
    assertThat(second.getIdentity().getClusterId()).isEqualTo("cluster-A");
    assertThat(m.sm.currentIdentity().getClusterId()).isEqualTo("cluster-A");
    assertThat(m.sm.currentIdentity().getIncarnation()).isEqualTo(1);
    assertThat(m.sm.currentIdentity().getRevision()).isEqualTo(2);
  }

  @Test
  void proposedIdentityIsARandomUuidAtIncarnationOne() throws Exception {
    var msg = DatastoreStateMachine.proposeIdentity(new Random(1), 1234);
    LogEntry entry = LogEntry.parseFrom(msg.getContent().toByteArray());

    assertThat(entry.getTimestampMs()).isEqualTo(1234);
    assertThat(java.util.UUID.fromString(entry.getInitIdentity().getClusterId()).version()).isEqualTo(4);
    assertThat(entry.getInitIdentity().getIncarnation()).isEqualTo(1);
    assertThat(LogEntry.parseFrom(DatastoreStateMachine.proposeIdentity(new Random(2), 1).getContent().toByteArray())
        .getInitIdentity().getClusterId()).isNotEqualTo(entry.getInitIdentity().getClusterId());
  }

  @Test
  void compactEntryCutsOffAtNowMinusRetention() throws Exception {
    var msg = DatastoreStateMachine.compactEntry(10_000, Duration.ofSeconds(3));
    LogEntry entry = LogEntry.parseFrom(msg.getContent().toByteArray());

    assertThat(entry.getCompact().getCutoffMs()).isEqualTo(7_000);
    assertThat(entry.getTimestampMs()).isEqualTo(10_000);
  }

  @Test
  void identityPersistsAcrossRestart() {
    m.apply(initIdentity(1, "cluster-A"));
    m = m.restart();
    assertThat(m.sm.currentIdentity().getClusterId()).isEqualTo("cluster-A");
    assertThat(m.sm.currentIdentity().getRevision()).isEqualTo(1);
  }

  @Test
  void compactionRemovesOldTombstonesAndRaisesTheCompactRevision() {
    m.apply(write(100, put(key("a"), "x", 1, "ws"), put(key("b"), "x", 1, "ws"), put(key("c"), "x", 1, "ws")));
    m.apply(write(1_000, delete(key("a"), 2, "ws")));           // rev 2, deleted at 1000
    m.apply(write(2_000, delete(key("b"), 2, "ws")));           // rev 3, deleted at 2000
    m.apply(write(3_000, delete(key("c"), 2, "ws")));           // rev 4, deleted at 3000

    EntryResult r = m.apply(compact(9_000, 2_000));

    assertThat(r.getCompact().getRemoved()).isEqualTo(2);
    assertThat(r.getCompact().getCompactRevision()).isEqualTo(3);
    assertThat(r.getIdentity().getCompactRevision()).isEqualTo(3);
    assertThat(m.sm.compactRevision()).isEqualTo(3);
    assertThat(m.sm.dump()).extracting(o -> o.getKey().getId()).containsExactly("c");

    EntryResult nothing = m.apply(compact(9_001, 0));
    assertThat(nothing.getCompact().getRemoved()).isZero();
    assertThat(nothing.getCompact().getCompactRevision()).as("never goes back").isEqualTo(3);
  }

  @Test
  void changesBelowTheCompactRevisionAreRefused() {
    m.apply(write(100, put(key("a"), "x", 1, "ws")));
    m.apply(write(1_000, delete(key("a"), 2, "ws")));
    m.apply(write(1_500, put(key("b"), "x", 1, "ws")));

    assertThat(m.changes(0, 0).hasError()).as("nothing compacted yet").isFalse();
    m.apply(compact(5_000, 1_000));

    assertThat(m.changes(0, 0).getError().getCode()).isEqualTo(ErrorCode.COMPACTED);
    assertThat(m.changes(1, 0).getError().getCode()).isEqualTo(ErrorCode.COMPACTED);
    assertThat(m.changes(2, 0).getChanges().getChangesList())
        .extracting(StoredObject::getModRev).containsExactly(3L);
  }

  @Test
  void aTombstoneOverwrittenByAPutIsNotCompacted() {
    m.apply(write(1_000, delete(key("a"), 2, "ws")));
    m.apply(write(1_100, put(key("a"), "back", 3, "ws")));

    EntryResult r = m.apply(compact(5_000, 4_000));

    assertThat(r.getCompact().getRemoved()).isZero();
    assertThat(m.sm.dump()).hasSize(1);
  }
}
