package io.gravwell.datastore.webserver.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.gravwell.datastore.client.store.SyncCheckpoint;
import io.gravwell.datastore.protocol.v1.Identity;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SyncLagTest {
  private static Identity seen(String cluster, long incarnation, long revision) {
    return Identity.newBuilder().setClusterId(cluster).setIncarnation(incarnation).setRevision(revision).build();
  }

  @Test
  void sameHistoryIsTheDifferenceNeverNegative() {
    Optional<SyncCheckpoint> cp = Optional.of(new SyncCheckpoint("c", 1, 40));
    assertThat(SyncLag.of(cp, seen("c", 1, 52))).isEqualTo(12);
    assertThat(SyncLag.of(cp, seen("c", 1, 40))).isZero();
    assertThat(SyncLag.of(cp, seen("c", 1, 35))).isZero();
  }

  @Test
  void anotherHistoryOrNoCheckpointMeansEverythingIsStillToPull() {
    assertThat(SyncLag.of(Optional.of(new SyncCheckpoint("c", 1, 40)), seen("c", 2, 7))).isEqualTo(7);
    assertThat(SyncLag.of(Optional.of(new SyncCheckpoint("c", 1, 40)), seen("d", 1, 9))).isEqualTo(9);
    assertThat(SyncLag.of(Optional.empty(), seen("c", 1, 5))).isEqualTo(5);
  }

  @Test
  void nothingHeardYetIsNoLag() {
    assertThat(SyncLag.of(Optional.of(new SyncCheckpoint("c", 1, 40)), Identity.getDefaultInstance())).isZero();
    assertThat(SyncLag.of(Optional.empty(), Identity.getDefaultInstance())).isZero();
  }
}
