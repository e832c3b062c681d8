package io.gravwell.datastore.chaos.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SetCheckerTest {

  @Test
  void everyAcknowledgedAddPresentAndUnknownOnesEitherWay() {
    SetResult r = SetChecker.check(Set.of(1L, 2L, 3L), Set.of(1L, 2L, 3L, 4L, 5L), List.of(3L, 1L, 2L, 5L));

    assertThat(r.valid()).isTrue();
    assertThat(r.okCount()).isEqualTo(3);
    assertThat(r.recoveredCount()).isEqualTo(1);
    assertThat(r.notAppliedCount()).isEqualTo(1);
    assertThat(r.lost()).isEmpty();
    assertThat(r.toCheckResult().verdict()).isEqualTo(Verdict.VALID);
  }

  @Test
  void anEmptyRunIsValid() {
    assertThat(SetChecker.check(Set.of(), Set.of(), List.of()).valid()).isTrue();
  }

  @Test
  void aLostAcknowledgedAdd() {
    SetResult r = SetChecker.check(Set.of(1L, 2L, 3L), Set.of(1L, 2L, 3L), List.of(1L, 3L));

    assertThat(r.valid()).isFalse();
    assertThat(r.lost()).containsExactly(2L);
    assertThat(r.okCount()).isEqualTo(2);
    assertThat(r.explanation()).contains("1 lost [2]");
    assertThat(r.toCheckResult().verdict()).isEqualTo(Verdict.INVALID);
  }

  @Test
  void aDuplicatedElement() {
    SetResult r = SetChecker.check(Set.of(1L, 2L), Set.of(1L, 2L), List.of(1L, 2L, 2L, 2L));

    assertThat(r.valid()).isFalse();
    assertThat(r.duplicated()).containsExactly(2L);
    assertThat(r.lost()).isEmpty();
  }

  @Test
  void anElementNobodyAdded() {
    SetResult r = SetChecker.check(Set.of(1L), Set.of(1L, 2L), List.of(1L, 2L, 9L));

    assertThat(r.valid()).isFalse();
    assertThat(r.unexpected()).containsExactly(9L);
    assertThat(r.recoveredCount()).isEqualTo(1);
  }

  @Test
  void fromAHistoryOfAdds() {
    History history = new Histories().history;
    history.ok(history.invoke(0, OpType.ADD, "s", 1L), null);
    history.unknown(history.invoke(1, OpType.ADD, "s", 2L), "timed out");
    history.fail(history.invoke(1, OpType.ADD, "s", 3L), "not leader");
    history.ok(history.invoke(2, OpType.ADD, "s", 4L), null);
    history.ok(history.invoke(2, OpType.ADD, "other", 5L), null);
    history.invoke(0, OpType.ADD, "s", 6L); // never completed

    assertThat(SetChecker.check(history.ops(), "s", List.of(1L, 4L, 6L)).valid()).isTrue();
    SetResult lost = SetChecker.check(history.ops(), "s", List.of(1L, 2L));
    assertThat(lost.lost()).containsExactly(4L);
    assertThat(lost.recoveredCount()).isEqualTo(1);
    assertThat(SetChecker.check(history.ops(), "s", List.of(1L, 4L, 5L)).unexpected()).containsExactly(5L);
    assertThat(SetChecker.check(history.ops(), "s", List.of(1L, 3L, 4L)).unexpected())
        .as("an add that failed happened after all").containsExactly(3L);
  }
}
