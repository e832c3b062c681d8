package io.gravwell.datastore.chaos.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class LinearizabilityCheckerPropertiesTest {

  @Property(tries = 300)
  void historiesOfALinearizableRegisterPass(@ForAll long seed, @ForAll @IntRange(min = 1, max = 6) int processes,
      @ForAll @IntRange(min = 1, max = 40) int opsPerProcess, @ForAll @IntRange(min = 1, max = 5) int values,
      @ForAll @IntRange(min = 1, max = 3) int keys) {
    List<Op> history = new SimulatedRegister(seed, processes, opsPerProcess, values, keys).history();

    CheckResult r = LinearizabilityChecker.check(history);

    assertThat(r.verdict()).as(r.explanation()).isEqualTo(Verdict.VALID);
  }

  @Property(tries = 300)
  void aReadOfAValueNeverWrittenFails(@ForAll long seed, @ForAll @IntRange(min = 1, max = 6) int processes,
      @ForAll @IntRange(min = 1, max = 40) int opsPerProcess, @ForAll @IntRange(min = 1, max = 5) int values,
      @ForAll @IntRange(min = 1, max = 3) int keys) {
    SimulatedRegister.Corrupted c = SimulatedRegister.withOneReadCorrupted(
        new SimulatedRegister(seed, processes, opsPerProcess, values, keys).history(), new Random(seed));
    Assume.that(c != null);

    CheckResult r = LinearizabilityChecker.check(c.history());

    assertThat(r.verdict()).as(r.explanation()).isEqualTo(Verdict.INVALID);
    assertThat(r.explanation()).contains("key " + c.read().key() + ": not linearizable");
    assertThat(r.window()).contains(c.read());
  }

  /** Unlike a value never written, a stale value needs the search itself to rule out every order. */
  @Property(tries = 300)
  void aReadOfAnOverwrittenValueFails(@ForAll long seed, @ForAll @IntRange(min = 1, max = 6) int processes,
      @ForAll @IntRange(min = 2, max = 40) int opsPerProcess, @ForAll @IntRange(min = 1, max = 5) int values) {
    SimulatedRegister.Corrupted c = SimulatedRegister.withOneStaleRead(
        new SimulatedRegister(seed, processes, opsPerProcess, values, 1).startingStale().history(), new Random(seed));
    Assume.that(c != null);

    CheckResult r = LinearizabilityChecker.check(c.history());

    assertThat(r.verdict()).as(r.explanation()).isEqualTo(Verdict.INVALID);
    assertThat(r.explanation()).contains("key k0: not linearizable");
  }
}
