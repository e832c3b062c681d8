package io.gravwell.datastore.chaos.workload;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The one allowance of the sync workload's "nothing lost or resurrected" verdict: a delete younger than one
 * sync round when the cluster lost every disk may come back. Anything else that comes back stays a failure.
 */
class YoungDeleteRuleTest {
  private static final long S = 1_000_000_000L;
  private static final long WINDOW = 5 * S; // a 3 s update interval + 2 s
  private static final long SLACK = S;
  private static final List<Long> LOSS_AT_100S = List.of(100 * S);

  @Test
  void aDeleteJustBeforeTheTotalLossMayComeBack() {
    assertThat(SyncWorkload.youngAtTotalLoss(99 * S, LOSS_AT_100S, WINDOW, SLACK)).isTrue();
    assertThat(SyncWorkload.youngAtTotalLoss(96 * S, LOSS_AT_100S, WINDOW, SLACK)).isTrue();
    // the sampler saw the old identity last up to half a second before the wipe
    assertThat(SyncWorkload.youngAtTotalLoss(100 * S + S / 2, LOSS_AT_100S, WINDOW, SLACK)).isTrue();
  }

  @Test
  void anOlderDeleteMustStayDeleted() {
    assertThat(SyncWorkload.youngAtTotalLoss(95 * S, LOSS_AT_100S, WINDOW, SLACK)).isFalse();
    assertThat(SyncWorkload.youngAtTotalLoss(10 * S, LOSS_AT_100S, WINDOW, SLACK)).isFalse();
  }

  @Test
  void aDeleteAfterTheLossMustStayDeleted() {
    // made while the cluster was down or after: the deleting webserver keeps it dirty and it wins the re-seed
    assertThat(SyncWorkload.youngAtTotalLoss(102 * S, LOSS_AT_100S, WINDOW, SLACK)).isFalse();
  }

  @Test
  void withoutATotalLossNothingMayComeBack() {
    assertThat(SyncWorkload.youngAtTotalLoss(99 * S, List.of(), WINDOW, SLACK)).isFalse();
    assertThat(SyncWorkload.youngAtTotalLoss(null, LOSS_AT_100S, WINDOW, SLACK)).isFalse();
  }

  @Test
  void eachOfSeveralLossesHasItsOwnWindow() {
    List<Long> two = List.of(50 * S, 100 * S);
    assertThat(SyncWorkload.youngAtTotalLoss(48 * S, two, WINDOW, SLACK)).isTrue();
    assertThat(SyncWorkload.youngAtTotalLoss(70 * S, two, WINDOW, SLACK)).isFalse();
  }
}
