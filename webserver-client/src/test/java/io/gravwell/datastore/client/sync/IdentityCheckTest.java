package io.gravwell.datastore.client.sync;

import static io.gravwell.datastore.client.sync.IdentityCheck.Reason.CHECKPOINT_MISSING;
import static io.gravwell.datastore.client.sync.IdentityCheck.Reason.DIFFERENT_CLUSTER;
import static io.gravwell.datastore.client.sync.IdentityCheck.Reason.EMPTY_STORE_WITH_SYNCED_OBJECTS;
import static io.gravwell.datastore.client.sync.IdentityCheck.Reason.INCARNATION_CHANGED;
import static io.gravwell.datastore.client.sync.IdentityCheck.Reason.REVISION_WENT_BACKWARDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gravwell.datastore.client.store.SyncCheckpoint;
import io.gravwell.datastore.client.sync.IdentityCheck.Kind;
import io.gravwell.datastore.client.sync.IdentityCheck.Verdict;
import io.gravwell.datastore.protocol.v1.Identity;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class IdentityCheckTest {

  static final Optional<SyncCheckpoint> NEVER = Optional.empty();
  static final Optional<SyncCheckpoint> A1_AT_50 = Optional.of(new SyncCheckpoint("A", 1, 50));

  static Identity id(String cluster, long incarnation, long revision) {
    return Identity.newBuilder().setClusterId(cluster).setIncarnation(incarnation).setRevision(revision).build();
  }

  static Stream<Arguments> pings() {
    return Stream.of(
        // checkpoint, holds synced objects, remote identity, verdict
        Arguments.of(NEVER, false, id("", 0, 0), Verdict.WAIT),
        Arguments.of(NEVER, true, id("", 0, 0), Verdict.WAIT),
        Arguments.of(A1_AT_50, true, id("", 0, 7), Verdict.WAIT),
        Arguments.of(NEVER, false, id("A", 1, 10), Verdict.FIRST_SYNC),
        Arguments.of(NEVER, true, id("A", 1, 10), Verdict.reseed(CHECKPOINT_MISSING)),
        Arguments.of(A1_AT_50, true, id("A", 1, 50), Verdict.SAME),
        Arguments.of(A1_AT_50, true, id("A", 1, 51), Verdict.SAME),
        Arguments.of(A1_AT_50, false, id("A", 1, 51), Verdict.SAME),
        Arguments.of(A1_AT_50, true, id("A", 1, 49), Verdict.reseed(REVISION_WENT_BACKWARDS)),
        Arguments.of(A1_AT_50, false, id("A", 1, 1), Verdict.reseed(REVISION_WENT_BACKWARDS)),
        Arguments.of(A1_AT_50, true, id("A", 2, 60), Verdict.reseed(INCARNATION_CHANGED)),
        Arguments.of(A1_AT_50, true, id("A", 2, 10), Verdict.reseed(INCARNATION_CHANGED)),
        Arguments.of(A1_AT_50, true, id("A", 0, 60), Verdict.reseed(INCARNATION_CHANGED)),
        Arguments.of(A1_AT_50, true, id("B", 1, 50), Verdict.reseed(DIFFERENT_CLUSTER)),
        Arguments.of(A1_AT_50, true, id("B", 1, 1), Verdict.reseed(DIFFERENT_CLUSTER)),
        Arguments.of(A1_AT_50, false, id("B", 2, 999), Verdict.reseed(DIFFERENT_CLUSTER)));
  }

  @ParameterizedTest(name = "{0} synced={1} remote={2} -> {3}")
  @MethodSource("pings")
  void judgesAPing(Optional<SyncCheckpoint> local, boolean holdsSynced, Identity remote, Verdict expected) {
    assertThat(IdentityCheck.check(local, holdsSynced, remote)).isEqualTo(expected);
  }

  static Stream<Arguments> listings() {
    return Stream.of(
        // checkpoint, holds synced, listing identity, listing empty, verdict
        Arguments.of(A1_AT_50, true, id("A", 1, 50), false, Verdict.SAME),
        Arguments.of(A1_AT_50, true, id("A", 1, 80), false, Verdict.SAME),
        Arguments.of(A1_AT_50, true, id("A", 1, 80), true, Verdict.reseed(EMPTY_STORE_WITH_SYNCED_OBJECTS)),
        Arguments.of(A1_AT_50, false, id("A", 1, 80), true, Verdict.SAME),
        Arguments.of(A1_AT_50, true, id("A", 1, 49), false, Verdict.reseed(REVISION_WENT_BACKWARDS)),
        Arguments.of(A1_AT_50, true, id("A", 2, 80), false, Verdict.reseed(INCARNATION_CHANGED)),
        Arguments.of(A1_AT_50, true, id("B", 1, 80), true, Verdict.reseed(DIFFERENT_CLUSTER)),
        Arguments.of(NEVER, false, id("A", 1, 80), true, Verdict.FIRST_SYNC),
        Arguments.of(NEVER, true, id("A", 1, 80), false, Verdict.reseed(CHECKPOINT_MISSING)));
  }

  @ParameterizedTest(name = "{0} synced={1} listed at {2} empty={3} -> {4}")
  @MethodSource("listings")
  void judgesAFullListing(Optional<SyncCheckpoint> local, boolean holdsSynced, Identity at, boolean empty,
      Verdict expected) {
    assertThat(IdentityCheck.checkFullListing(local, holdsSynced, at, empty)).isEqualTo(expected);
  }

  @Test
  void onlyTheSameHistoryAllowsDeletions() {
    for (Kind k : Kind.values()) {
      Verdict v = k == Kind.RESEED ? Verdict.reseed(DIFFERENT_CLUSTER) : new Verdict(k, null);
      assertThat(v.deletionsAllowed()).as(k.name()).isEqualTo(k == Kind.SAME);
    }
  }

  /** Every combination of inputs: a verdict that allows deletions implies the same cluster, incarnation and a not-older revision. */
  @Test
  void deletionsNeverAllowedAcrossHistories() {
    String[] clusters = {"", "A", "B"};
    long[] incarnations = {0, 1, 2};
    long[] revisions = {0, 49, 50, 51};
    for (Optional<SyncCheckpoint> cp : java.util.List.of(NEVER, A1_AT_50)) {
      for (boolean synced : new boolean[] {false, true}) {
        for (String c : clusters) {
          for (long inc : incarnations) {
            for (long rev : revisions) {
              for (boolean empty : new boolean[] {false, true}) {
                Identity remote = id(c, inc, rev);
                Verdict v = IdentityCheck.checkFullListing(cp, synced, remote, empty);
                if (v.deletionsAllowed()) {
                  assertThat(cp).isPresent();
                  assertThat(cp.get().sameHistory(remote)).isTrue();
                  assertThat(rev).isGreaterThanOrEqualTo(cp.get().revision());
                  assertThat(empty && synced).isFalse();
                }
              }
            }
          }
        }
      }
    }
  }

  @Test
  void aReasonGoesWithReseedOnly() {
    assertThatThrownBy(() -> new Verdict(Kind.SAME, DIFFERENT_CLUSTER)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Verdict(Kind.RESEED, null)).isInstanceOf(IllegalArgumentException.class);
  }
}
