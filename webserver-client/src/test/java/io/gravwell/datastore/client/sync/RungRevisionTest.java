package io.gravwell.datastore.client.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.gravwell.datastore.protocol.v1.Identity;
import org.junit.jupiter.api.Test;

class RungRevisionTest {
  private static Identity id(String cluster, long incarnation, long revision) {
    return Identity.newBuilder().setClusterId(cluster).setIncarnation(incarnation).setRevision(revision).build();
  }

  @Test
  void aRingInTheSyncedHistoryRaisesThePingFloor() {
    assertThat(RungRevision.floor(id("c", 1, 10), id("c", 1, 15))).isEqualTo(id("c", 1, 15));
    assertThat(RungRevision.floor(id("c", 1, 10), id("c", 1, 5))).isEqualTo(id("c", 1, 10));
  }

  @Test
  void aRingFromAnotherHistoryNeverRaisesTheFloor() {
    // After a wipe the old history's high revisions must not make every node of the new one look behind.
    assertThat(RungRevision.floor(id("new", 1, 3), id("old", 1, 1000))).isEqualTo(id("new", 1, 3));
    assertThat(RungRevision.floor(id("c", 2, 3), id("c", 1, 1000))).isEqualTo(id("c", 2, 3));
  }

  @Test
  void laterRingsWinWithinAHistoryAndAnotherHistoryReplacesTheOld() {
    assertThat(RungRevision.later(id("c", 1, 10), id("c", 1, 9))).isEqualTo(id("c", 1, 10));
    assertThat(RungRevision.later(id("c", 1, 10), id("c", 1, 11))).isEqualTo(id("c", 1, 11));
    assertThat(RungRevision.later(id("c", 1, 10), id("d", 1, 2))).isEqualTo(id("d", 1, 2));
  }
}
