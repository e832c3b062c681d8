package io.gravwell.datastore.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LongestGapTest {

  @Test
  void findsTheLongestStretchBetweenTwoWrites() {
    LongestGap gap = LongestGap.in(new long[] {100, 110, 120, 900, 910, 1000}, 100, 1000);

    assertThat(gap).isEqualTo(new LongestGap(120, 900));
    assertThat(gap.nanos()).isEqualTo(780);
  }

  @Test
  void aClusterThatNeverRecoversShowsAGapToTheEndOfTheWindow() {
    LongestGap gap = LongestGap.in(new long[] {10, 20, 30}, 0, 5_000);

    assertThat(gap).isEqualTo(new LongestGap(30, 5_000));
  }

  @Test
  void theStartOfTheWindowCountsAsABoundary() {
    assertThat(LongestGap.in(new long[] {800, 810}, 0, 1_000)).isEqualTo(new LongestGap(0, 800));
  }

  @Test
  void writesOutsideTheWindowAreIgnored() {
    LongestGap gap = LongestGap.in(new long[] {1, 2, 3, 500, 600, 2_000, 2_001}, 400, 700);

    assertThat(gap).isEqualTo(new LongestGap(400, 500));
  }

  @Test
  void noWritesAtAllIsOneGapAsLongAsTheWindow() {
    assertThat(LongestGap.in(new long[0], 5, 50).nanos()).isEqualTo(45);
  }

  @Test
  void rejectsAWindowThatEndsBeforeItStarts() {
    assertThatThrownBy(() -> LongestGap.in(new long[0], 10, 5)).isInstanceOf(IllegalArgumentException.class);
  }
}
