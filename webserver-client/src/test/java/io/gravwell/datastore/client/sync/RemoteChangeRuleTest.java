package io.gravwell.datastore.client.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.gravwell.datastore.client.store.LocalObject;
import io.gravwell.datastore.client.sync.RemoteChangeRule.Decision;
import io.gravwell.datastore.client.sync.RemoteChangeRule.Mode;
import io.gravwell.datastore.protocol.v1.ObjectKey;
import io.gravwell.datastore.protocol.v1.StoredObject;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RemoteChangeRuleTest {

  static final ObjectKey K = ObjectKey.newBuilder().setDomain("d").setKind("dashboard").setId("x").build();

  static StoredObject v(long updatedMs, String origin, long modRev, boolean deleted) {
    return StoredObject.newBuilder().setKey(K).setUpdatedMs(updatedMs).setOrigin(origin).setModRev(modRev)
        .setDeleted(deleted).build();
  }

  static Decision decide(LocalObject local, StoredObject remote, Mode mode) {
    return RemoteChangeRule.decide(Optional.ofNullable(local), remote, mode);
  }

  @Test
  void absentLocalTakesAnything() {
    assertThat(decide(null, v(5, "a", 9, false), Mode.SAME_HISTORY)).isEqualTo(Decision.ADOPT);
    assertThat(decide(null, v(5, "a", 9, true), Mode.SAME_HISTORY)).isEqualTo(Decision.ADOPT);
  }

  @Test
  void cleanLocalFollowsTheRevisionWithinOneHistory() {
    LocalObject clean = LocalObject.synced(v(100, "a", 10, false));
    assertThat(decide(clean, v(50, "b", 11, false), Mode.SAME_HISTORY)).isEqualTo(Decision.ADOPT);
    assertThat(decide(clean, v(50, "b", 11, true), Mode.SAME_HISTORY)).isEqualTo(Decision.ADOPT);
    assertThat(decide(clean, v(200, "b", 10, false), Mode.SAME_HISTORY)).isEqualTo(Decision.KEEP);
    assertThat(decide(clean, v(200, "b", 9, true), Mode.SAME_HISTORY)).isEqualTo(Decision.KEEP);
  }

  @Test
  void cleanLocalFollowsWriteOrderAcrossHistoriesAndRepushesWhatTheDatastoreLost() {
    LocalObject clean = LocalObject.synced(v(100, "a", 10, false));
    assertThat(decide(clean, v(101, "b", 1, false), Mode.WRITE_ORDER_ONLY)).isEqualTo(Decision.ADOPT);
    assertThat(decide(clean, v(100, "a", 1, false), Mode.WRITE_ORDER_ONLY)).isEqualTo(Decision.ADOPT);
    assertThat(decide(clean, v(99, "z", 50, false), Mode.WRITE_ORDER_ONLY)).isEqualTo(Decision.REPUSH);
    assertThat(decide(clean, v(99, "z", 50, true), Mode.WRITE_ORDER_ONLY)).isEqualTo(Decision.REPUSH);
  }

  @Test
  void dirtyLocalIsRankedByWriteOrderInEveryMode() {
    LocalObject dirty = LocalObject.dirty(v(100, "b", 0, false), 3);
    LocalObject localDelete = LocalObject.dirty(v(100, "b", 0, true), 3);
    for (Mode mode : Mode.values()) {
      assertThat(decide(dirty, v(101, "a", 9, false), mode)).isEqualTo(Decision.ADOPT_OVER_LOCAL_CHANGE);
      assertThat(decide(dirty, v(100, "c", 9, true), mode)).isEqualTo(Decision.ADOPT_OVER_LOCAL_CHANGE);
      assertThat(decide(dirty, v(100, "a", 9, true), mode)).isEqualTo(Decision.KEEP);
      assertThat(decide(dirty, v(99, "z", 9, false), mode)).isEqualTo(Decision.KEEP);
      // Our own write coming back: adopted with its revisions, not a lost change.
      assertThat(decide(dirty, v(100, "b", 9, false), mode)).isEqualTo(Decision.ADOPT);
      assertThat(decide(localDelete, v(100, "b", 9, true), mode)).isEqualTo(Decision.ADOPT);
      assertThat(decide(localDelete, v(101, "a", 9, false), mode)).isEqualTo(Decision.ADOPT_OVER_LOCAL_CHANGE);
      assertThat(decide(localDelete, v(99, "a", 9, false), mode)).isEqualTo(Decision.KEEP);
    }
  }
}
