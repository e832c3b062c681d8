package io.gravwell.datastore.chaos.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LinearizabilityCheckerPerformanceTest {

  @Test
  void fiveProcessesTimesAThousandOpsOnOneKeyCheckInUnderFiveSeconds() {
    List<Op> history = new SimulatedRegister(42, 5, 1_000, 5, 1).history();
    assertThat(history).hasSize(2 * 5 * 1_000);

    long start = System.nanoTime();
    CheckResult r = LinearizabilityChecker.check(history);
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(r.verdict()).as(r.explanation()).isEqualTo(Verdict.VALID);
    assertThat(took).isLessThan(Duration.ofSeconds(5));
  }

  /**
   * A violation late in a long history makes the search exhaust everything before it. With few UNKNOWN
   * operations that stays small; many (each may or may not have happened) can make it UNKNOWN instead.
   */
  @Test
  void aStaleReadLateInALongHistoryIsFoundInUnderFiveSeconds() {
    List<Op> history = SimulatedRegister.withOneStaleRead(
        new SimulatedRegister(7, 5, 1_000, 5, 1).faults(0.002, 0.03).startingStale().history(), new Random(7))
        .history();

    long start = System.nanoTime();
    CheckResult r = LinearizabilityChecker.check(history);
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(r.verdict()).as(r.explanation()).isEqualTo(Verdict.INVALID);
    assertThat(r.explanation()).contains("ok " + SimulatedRegister.STALE);
    assertThat(took).isLessThan(Duration.ofSeconds(5));
  }
}
