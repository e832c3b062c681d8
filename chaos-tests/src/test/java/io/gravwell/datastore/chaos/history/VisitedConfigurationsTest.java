package io.gravwell.datastore.chaos.history;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VisitedConfigurationsTest {

  private final VisitedConfigurations visited = new VisitedConfigurations(1_000);

  @Test
  void aConfigurationIsExploredOnce() {
    assertThat(visited.add(1, 2, new long[] {0})).isTrue();
    assertThat(visited.add(1, 2, new long[] {0})).isFalse();
    assertThat(visited.add(2, 1, new long[] {0})).isTrue();
    assertThat(visited.add(0, 0, new long[] {0})).isTrue();
    assertThat(visited.size()).isEqualTo(3);
  }

  @Test
  void takingFewerUnknownOperationsDominates() {
    assertThat(visited.add(7, 7, new long[] {0b0110, 0})).isTrue();
    assertThat(visited.add(7, 7, new long[] {0b0111, 0})).as("superset of an explored one").isFalse();
    assertThat(visited.add(7, 7, new long[] {0b1001, 0})).as("incomparable").isTrue();
    assertThat(visited.add(7, 7, new long[] {0b0010, 0})).as("subset: explored again").isTrue();
    assertThat(visited.add(7, 7, new long[] {0b0110, 0})).isFalse();
    assertThat(visited.size()).as("0b0110 was replaced by 0b0010").isEqualTo(2);
    assertThat(visited.add(7, 7, new long[] {0, 0})).isTrue();
    assertThat(visited.add(7, 7, new long[] {0b1001, 1L << 63})).isFalse();
    assertThat(visited.size()).isEqualTo(1);
  }

  @Test
  void growsAndReportsWhenFull() {
    VisitedConfigurations small = new VisitedConfigurations(5_000);
    for (long i = 1; i <= 5_000; i++) {
      assertThat(small.add(i * 0x9E3779B97F4A7C15L, i, new long[0])).isTrue();
    }
    assertThat(small.full()).isTrue();
    for (long i = 1; i <= 5_000; i++) {
      assertThat(small.add(i * 0x9E3779B97F4A7C15L, i, new long[0])).isFalse();
    }
  }
}
