package io.gravwell.datastore.chaos.workload;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How the sync workload's verdict dates a resurrected object's delete against a total loss. Every copy of a
 * deleted object that comes back fails the verdict; this only says where to look.
 */
class BeforeTotalLossTest {
  private static final long S = 1_000_000_000L;
  private static final long WINDOW = 5 * S; // a 3 s update interval + 2 s
  private static final List<Long> LOSS_AT_100S = List.of(100 * S);

  @Test
  void aDeleteNearATotalLossIsDatedAgainstIt() {
    assertThat(SyncWorkload.beforeTotalLoss(99 * S, LOSS_AT_100S, WINDOW))
        .isEqualTo(" (delete acknowledged 1.00 s before a total loss)");
    assertThat(SyncWorkload.beforeTotalLoss(101 * S, LOSS_AT_100S, WINDOW))
        .isEqualTo(" (delete acknowledged -1.00 s before a total loss)");
  }

  @Test
  void aDeleteFarFromEveryLossOrWithoutALossIsNotDated() {
    assertThat(SyncWorkload.beforeTotalLoss(10 * S, LOSS_AT_100S, WINDOW)).isEmpty();
    assertThat(SyncWorkload.beforeTotalLoss(99 * S, List.of(), WINDOW)).isEmpty();
    assertThat(SyncWorkload.beforeTotalLoss(null, LOSS_AT_100S, WINDOW)).isEmpty();
  }

  @Test
  void theFirstLossWithinTheWindowDatesIt() {
    assertThat(SyncWorkload.beforeTotalLoss(48 * S, List.of(50 * S, 100 * S), WINDOW))
        .isEqualTo(" (delete acknowledged 2.00 s before a total loss)");
  }
}
