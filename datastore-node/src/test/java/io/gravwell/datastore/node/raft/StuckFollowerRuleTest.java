package io.gravwell.datastore.node.raft;

import static org.assertj.core.api.Assertions.assertThat;

import io.gravwell.datastore.node.raft.StuckFollowerRule.Follower;
import io.gravwell.datastore.node.raft.StuckFollowerRule.Observation;
import io.gravwell.datastore.node.raft.StuckFollowerRule.Transfer;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * When the leader hands leadership on for a follower that answers but cannot catch up. The stuck case is the
 * one a CI run of lose-one-disk met: the leader held ds3's match index at 925, ds3's log ended at 916, and ds3
 * answered INCONSISTENCY to every request while the leader committed thousands of entries.
 */
class StuckFollowerRuleTest {
  private static final long STUCK_AFTER = 20_000;
  private static final long ANSWERED_WITHIN = 3_000;
  private static final long MIN_INTERVAL = 300_000;

  private final StuckFollowerRule rule = new StuckFollowerRule(STUCK_AFTER, ANSWERED_WITHIN, MIN_INTERVAL);

  private static Follower healthy(String id, long match) {
    return new Follower(id, match, match + 1, 10, true);
  }

  /** ds3 as in the failed run: answering, match index 925, next index 926, the leader's log starting at 7000. */
  private static Follower ds3(long lastResponseMs) {
    return new Follower("ds3", 925, 926, lastResponseMs, true);
  }

  private Optional<Transfer> at(long nowMs, long commit, Follower... followers) {
    return rule.observe(new Observation(nowMs, commit, 500, List.of(followers)));
  }

  @Test
  void aFollowerThatAnswersButDoesNotProgressGetsANewLeaderFromTheMostUpToDateVoter() {
    assertThat(at(0, 1_000, healthy("ds1", 1_000), ds3(100))).isEmpty();
    assertThat(at(10_000, 4_000, healthy("ds1", 4_000), ds3(100))).isEmpty();
    Optional<Transfer> t = at(20_000, 7_527, healthy("ds1", 7_527), ds3(100));
    assertThat(t).get().satisfies(x -> {
      assertThat(x.stuck()).isEqualTo("ds3");
      assertThat(x.target()).isEqualTo("ds1");
      assertThat(x.reason()).contains("925", "7527", "20000 ms");
    });
  }

  @Test
  void aFollowerThatProgressesEvenSlowlyIsNotStuck() {
    for (long t = 0; t <= 60_000; t += 1_000) {
      assertThat(at(t, 10_000 + t, healthy("ds1", 10_000 + t), new Follower("ds3", 1_000 + t / 1_000, 1_001 + t / 1_000,
          50, true))).isEmpty();
    }
  }

  @Test
  void aSilentFollowerIsDownOrCutOffAndANewLeaderWouldNotHelp() {
    for (long t = 0; t <= 60_000; t += 1_000) {
      assertThat(at(t, 7_527, healthy("ds1", 7_527), ds3(t + 5_000))).isEmpty();
    }
  }

  @Test
  void aFollowerWaitingForASnapshotIsNotStuckHoweverLongTheInstallTakes() {
    for (long t = 0; t <= 120_000; t += 1_000) {
      // next index 300 is below the leader's log start (500): Ratis is installing a snapshot.
      assertThat(at(t, 7_527, healthy("ds1", 7_527), new Follower("ds3", 299, 300, 10, true))).isEmpty();
    }
  }

  @Test
  void aFollowerThatHasEverythingCommittedIsNotStuckWhenNothingIsWritten() {
    for (long t = 0; t <= 60_000; t += 1_000) {
      assertThat(at(t, 925, healthy("ds1", 925), ds3(10))).isEmpty();
    }
  }

  @Test
  void atMostOneTransferPerInterval() {
    at(0, 1_000, healthy("ds1", 1_000), ds3(10));
    assertThat(at(20_000, 2_000, healthy("ds1", 2_000), ds3(10))).isPresent();
    // The rule starts over after a transfer; still stuck 20 s later, but within the interval: nothing.
    at(21_000, 2_000, healthy("ds1", 2_000), ds3(10));
    assertThat(at(41_000, 3_000, healthy("ds1", 3_000), ds3(10))).isEmpty();
    assertThat(at(300_000, 9_000, healthy("ds1", 9_000), ds3(10))).isEmpty(); // interval over, clock restarted at 41 s
    assertThat(at(321_000, 9_500, healthy("ds1", 9_500), ds3(10))).isPresent();
  }

  @Test
  void noTransferWithoutAnotherAnsweringVoter() {
    at(0, 1_000, new Follower("ds1", 1_000, 1_001, 9_000, true), ds3(10));
    assertThat(at(20_000, 2_000, new Follower("ds1", 2_000, 2_001, 9_000, true), ds3(10))).isEmpty();
    at(0, 1_000, new Follower("l1", 1_000, 1_001, 10, false), ds3(10));
    assertThat(at(20_000, 2_000, new Follower("l1", 2_000, 2_001, 10, false), ds3(10))).isEmpty();
  }

  @Test
  void losingLeadershipForgetsWhatWasObserved() {
    at(0, 1_000, healthy("ds1", 1_000), ds3(10));
    rule.reset();
    assertThat(at(20_000, 2_000, healthy("ds1", 2_000), ds3(10))).isEmpty();
    assertThat(at(40_000, 3_000, healthy("ds1", 3_000), ds3(10))).isPresent();
  }
}
