package io.gravwell.datastore.chaos.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class LinearizabilityCheckerTest {

  @Nested
  class Linearizable {

    @Test
    void emptyHistory() {
      assertThat(LinearizabilityChecker.check(List.of()).verdict()).isEqualTo(Verdict.VALID);
    }

    @Test
    void aFreshKeyReadsAbsent() {
      assertValid(new Histories().readGot(0, "x", null));
    }

    @Test
    void sequentialWritesAndReads() {
      assertValid(new Histories().wrote(0, "x", 1).readGot(1, "x", 1L).wrote(1, "x", 2).readGot(0, "x", 2L)
          .readGot(2, "x", 2L));
    }

    @Test
    void aReadOverlappingAWriteMaySeeEitherValue() {
      Histories h = new Histories().wrote(0, "x", 1);
      long w = h.write(0, "x", 2);
      long r1 = h.read(1, "x");
      long r2 = h.read(2, "x");
      h.ok(r1, 2L).ok(r2, 1L).ok(w);
      assertValid(h);
    }

    @Test
    void concurrentWritesLandInEitherOrderButOneOrderForEveryone() {
      Histories h = new Histories();
      long a = h.write(0, "x", 1);
      long b = h.write(1, "x", 2);
      h.ok(b).ok(a);
      h.readGot(2, "x", 1L).readGot(3, "x", 1L);
      assertValid(h);
    }

    @Test
    void readsThatSeeAConcurrentWriteInDifferentOrdersStillLinearize() {
      // r1 sees the new value, then r2 (started after r1 returned) sees it too, while the write is pending
      Histories h = new Histories();
      long w = h.write(0, "x", 5);
      h.readGot(1, "x", 5L).readGot(2, "x", 5L).ok(w);
      assertValid(h);
    }

    @Test
    void anUnknownWriteThatTookEffect() {
      Histories h = new Histories().wrote(0, "x", 1);
      h.unknown(h.write(0, "x", 2));
      h.readGot(1, "x", 2L);
      assertValid(h);
    }

    @Test
    void unknownWriteMayTakeEffectLongAfterItTimedOut() {
      Histories h = new Histories().wrote(0, "x", 1);
      h.unknown(h.write(0, "x", 2));
      h.readGot(1, "x", 1L).readGot(1, "x", 1L).readGot(2, "x", 2L).readGot(1, "x", 2L);
      assertValid(h);
    }

    @Test
    void anUnknownWriteThatNeverTookEffect() {
      Histories h = new Histories().wrote(0, "x", 1);
      h.unknown(h.write(0, "x", 2));
      h.readGot(1, "x", 1L).wrote(2, "x", 3).readGot(1, "x", 3L);
      assertValid(h);
    }

    @Test
    void anInvokeWithoutCompletionIsUnknown() {
      Histories h = new Histories();
      h.write(0, "x", 4);
      h.readGot(1, "x", null).readGot(1, "x", 4L);
      assertValid(h);
    }

    @Test
    void anUnknownReadTellsNothing() {
      Histories h = new Histories().wrote(0, "x", 1);
      h.unknown(h.read(1, "x"));
      assertValid(h);
    }

    @Test
    void casSucceedsFromTheCurrentValue() {
      Histories h = new Histories().wrote(0, "x", 1);
      h.ok(h.cas(1, "x", 1, 2));
      h.readGot(2, "x", 2L);
      assertValid(h);
    }

    @Test
    void aCasMismatchIsAReadOfSomethingElse() {
      Histories h = new Histories().wrote(0, "x", 1);
      h.fail(h.cas(1, "x", 7, 2), History.CAS_MISMATCH);
      h.readGot(2, "x", 1L);
      h.fail(h.cas(1, "y", 0, 2), History.CAS_MISMATCH); // absent is not 0
      assertValid(h);
    }

    @Test
    void aCasMismatchConcurrentWithAWriteOfTheExpectedValue() {
      Histories h = new Histories();
      long w = h.write(0, "x", 3);
      long c = h.cas(1, "x", 3, 4);
      h.fail(c, History.CAS_MISMATCH).ok(w);
      h.readGot(2, "x", 3L);
      assertValid(h);
    }

    @Test
    void failuresThatCertainlyDidNotHappenAreDropped() {
      Histories h = new Histories().wrote(0, "x", 1);
      h.fail(h.cas(1, "x", 1, 9), "rejected before submission");
      h.fail(h.write(2, "x", 8), "not leader");
      h.readGot(1, "x", 1L);
      assertValid(h);
    }

    @Test
    void anUnknownCasThatTookEffectAndOneThatDidNot() {
      Histories h = new Histories().wrote(0, "x", 1);
      h.unknown(h.cas(1, "x", 1, 2));
      h.unknown(h.cas(2, "x", 1, 3));
      h.readGot(3, "x", 2L);
      assertValid(h);
    }

    @Test
    void aChainOfUnknownCasesThatAllTookEffect() {
      Histories h = new Histories().wrote(0, "x", 1);
      h.unknown(h.cas(1, "x", 2, 3));
      h.unknown(h.cas(2, "x", 1, 2));
      h.readGot(3, "x", 3L);
      assertValid(h);
    }

    @Test
    void twoUnknownWritesOfOneValueCanExplainTwoReturnsOfIt() {
      Histories h = new Histories().wrote(0, "x", 1);
      h.unknown(h.write(1, "x", 2));
      h.unknown(h.write(2, "x", 2));
      h.readGot(3, "x", 2L).wrote(3, "x", 3).readGot(3, "x", 2L);
      assertValid(h);
    }

    @Test
    void keysAreIndependentRegisters() {
      assertValid(new Histories().wrote(0, "x", 1).wrote(1, "y", 2).readGot(2, "x", 1L).readGot(2, "y", 2L)
          .readGot(0, "z", null));
    }

    @Test
    void otherOperationTypesAreIgnored() {
      Histories h = new Histories().wrote(0, "x", 1);
      h.history.ok(h.history.invoke(1, OpType.ADD, "set", 5L), null);
      assertValid(h);
    }

    private void assertValid(Histories h) {
      CheckResult r = h.check();
      assertThat(r.verdict()).as(r.explanation()).isEqualTo(Verdict.VALID);
      assertThat(r.valid()).isTrue();
      assertThat(r.window()).isEmpty();
    }
  }

  @Nested
  class Violations {

    @Test
    void staleReadAfterACompletedWrite() {
      Histories h = new Histories().wrote(0, "x", 1).wrote(1, "x", 2);
      long stale = h.read(2, "x");
      h.ok(stale, 1L);
      CheckResult r = assertViolation(h, "x", stale);
      assertThat(r.explanation()).contains("could only hold [2]");
      assertThat(invokes(r)).extracting(Op::value).contains(2L);
    }

    @Test
    void lostWrite() {
      Histories h = new Histories().wrote(0, "x", 1).readGot(1, "x", 1L);
      long w = h.write(0, "x", 2);
      h.ok(w);
      long r = h.read(1, "x");
      h.ok(r, 1L);
      CheckResult result = assertViolation(h, "x", r);
      assertThat(invokes(result)).extracting(Op::index).contains(w);
    }

    @Test
    void aWriteLostBeforeAnyoneReadIt() {
      Histories h = new Histories().wrote(0, "x", 1);
      long r = h.read(1, "x");
      h.ok(r, null);
      assertViolation(h, "x", r);
    }

    @Test
    void readOfAValueNeverWritten() {
      Histories h = new Histories().wrote(0, "x", 1);
      long w = h.write(0, "x", 2);
      long r = h.read(1, "x");
      h.ok(r, 7L).ok(w);
      assertViolation(h, "x", r);
    }

    @Test
    void aFailedWriteThatWasReadAfterAll() {
      Histories h = new Histories();
      h.fail(h.write(0, "x", 1), "not leader");
      long r = h.read(1, "x");
      h.ok(r, 1L);
      assertViolation(h, "x", r);
    }

    @Test
    void anUnknownWriteTakesEffectAtMostOnce() {
      Histories h = new Histories().wrote(0, "x", 1);
      h.unknown(h.write(1, "x", 2));
      h.readGot(3, "x", 2L).wrote(3, "x", 3);
      long again = h.read(3, "x");
      h.ok(again, 2L);
      assertViolation(h, "x", again);
    }

    @Test
    void casSucceedingFromAWrongValue() {
      Histories h = new Histories().wrote(0, "x", 1);
      long c = h.cas(1, "x", 0, 2);
      h.ok(c);
      assertViolation(h, "x", c);
    }

    @Test
    void twoCasBothSucceedingFromTheSameExpectedValue() {
      Histories h = new Histories().wrote(0, "x", 0);
      long a = h.cas(1, "x", 0, 1);
      long b = h.cas(2, "x", 0, 2);
      h.ok(a).ok(b);
      CheckResult r = assertViolationOnKey(h, "x");
      assertThat(invokes(r)).extracting(Op::index).contains(a, b);
    }

    @Test
    void aCasMismatchWhenTheValueWasTheExpectedOne() {
      Histories h = new Histories().wrote(0, "x", 3);
      long c = h.cas(1, "x", 3, 4);
      h.fail(c, History.CAS_MISMATCH);
      assertViolation(h, "x", c);
    }

    @Test
    void theViolatingKeyIsNamedAmongGoodOnes() {
      Histories h = new Histories().wrote(0, "a", 1).wrote(0, "b", 1).wrote(1, "c", 1).wrote(2, "b", 2)
          .readGot(1, "a", 1L).readGot(1, "c", 1L);
      long r = h.read(2, "b");
      h.ok(r, 1L);
      CheckResult result = assertViolation(h, "b", r);
      assertThat(result.explanation()).startsWith("1 of 3 keys");
      assertThat(result.window()).extracting(Op::key).containsOnly("b");
    }

    @Test
    void theWindowIsSmallInALongHistory() {
      Histories h = new Histories();
      for (int i = 0; i < 200; i++) {
        h.wrote(i % 3, "x", i).readGot((i + 1) % 3, "x", (long) i);
      }
      long r = h.read(0, "x");
      h.ok(r, 150L);
      CheckResult result = assertViolation(h, "x", r);
      assertThat(invokes(result)).hasSizeLessThanOrEqualTo(5);
      assertThat(invokes(result)).extracting(Op::value).contains(199L);
    }

    private CheckResult assertViolation(Histories h, String key, long failingInvoke) {
      CheckResult r = assertViolationOnKey(h, key);
      assertThat(r.explanation()).contains("#" + failingInvoke + ",");
      assertThat(r.window()).extracting(Op::index).contains(failingInvoke, failingInvoke + 1);
      return r;
    }

    private CheckResult assertViolationOnKey(Histories h, String key) {
      CheckResult r = h.check();
      assertThat(r.verdict()).as(r.explanation()).isEqualTo(Verdict.INVALID);
      assertThat(r.valid()).isFalse();
      assertThat(r.explanation()).contains("key " + key + ": not linearizable");
      assertThat(r.window()).isNotEmpty().extracting(Op::key).containsOnly(key);
      assertThat(r.window()).isSortedAccordingTo((a, b) -> Long.compare(a.index(), b.index()));
      return r;
    }

    private List<Op> invokes(CheckResult r) {
      return r.window().stream().filter(o -> o.outcome() == Outcome.INVOKE).toList();
    }
  }

  @Test
  void aSearchOverBudgetIsUnknownNotAPass() {
    Histories h = new Histories().wrote(0, "x", 1).readGot(1, "x", 1L);
    CheckResult r = LinearizabilityChecker.check(h.ops(), Duration.ofSeconds(5), 1);
    assertThat(r.verdict()).isEqualTo(Verdict.UNKNOWN);
    assertThat(r.valid()).isFalse();
    assertThat(r.explanation()).contains("key x: too complex").contains("not a pass");
  }
}
