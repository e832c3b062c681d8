package io.gravwell.datastore.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SideBySideTest {

  private static Map<String, String> row(String target, String op, int c, double opsPerS, long p50, long p99) {
    return SideBySide.parseFlatJson(SideBySide.fmt(
        "{\"timestamp\":\"2026-11-27T10:00:00Z\",\"target\":\"%s\",\"label\":\"a, \\\"quoted\\\" label\","
            + "\"op\":\"%s\",\"clients\":%d,\"tls\":true,\"ops_per_s\":%.1f,\"p50_us\":%d,\"p99_us\":%d,"
            + "\"errors\":0}", target, op, c, opsPerS, p50, p99));
  }

  private static Map<String, String> round(String target, double gapMs) {
    return SideBySide.parseFlatJson(SideBySide.fmt("{\"target\":\"%s\",\"longest_gap_ms\":%.1f}", target, gapMs));
  }

  @Test
  void parsesTheFlatJsonLinesTheBenchmarksWrite() {
    Map<String, String> r = row("etcd", "put", 64, 1234.5, 900, 20_000);

    assertThat(r).containsEntry("target", "etcd").containsEntry("clients", "64").containsEntry("tls", "true")
        .containsEntry("ops_per_s", "1234.5").containsEntry("label", "a, \"quoted\" label");
  }

  @Test
  void pairsLevelsAcrossTargetsAndComputesOursOverEtcd() {
    List<SideBySide.Level> levels = SideBySide.levels(List.of(
        row("datastore", "get", 64, 6000, 5_000, 20_000),
        row("datastore", "put", 64, 3000, 10_000, 40_000),
        row("etcd", "put", 64, 2000, 12_000, 50_000),
        row("datastore", "put", 1, 200, 3_000, 9_000),
        row("etcd", "put", 1, 300, 2_000, 8_000),
        row("etcd", "get", 64, 4000, 6_000, 30_000)));

    assertThat(levels).extracting(l -> l.op() + l.clients()).containsExactly("put1", "put64", "get64");
    SideBySide.Level put64 = levels.get(1);
    assertThat(put64.ratio("ops_per_s")).isCloseTo(1.5, within(1e-9));
    assertThat(put64.ratio("p99_us")).isCloseTo(0.8, within(1e-9));
  }

  @Test
  void aLevelMeasuredOnOnlyOneSystemHasNoRatio() {
    List<SideBySide.Level> levels = SideBySide.levels(List.of(row("datastore", "put", 16, 500, 1, 2)));

    assertThat(levels.get(0).etcd()).isNull();
    assertThat(levels.get(0).ratio("ops_per_s")).isNaN();
  }

  @Test
  void failoverMedianAndWorstPerSystem() {
    List<Map<String, String>> rounds = List.of(round("datastore", 900), round("etcd", 2000),
        round("datastore", 400), round("etcd", 1800), round("datastore", 1600), round("etcd", 2400),
        round("datastore", 700));

    SideBySide.Failover ours = SideBySide.failover(rounds, SideBySide.OURS);
    SideBySide.Failover etcd = SideBySide.failover(rounds, SideBySide.ETCD);

    assertThat(ours.median()).isEqualTo(800); // even count: mean of the middle two
    assertThat(ours.worst()).isEqualTo(1600);
    assertThat(etcd.median()).isEqualTo(2000);
  }

  @Test
  void judgesEachTargetFromTheSameRun() {
    List<SideBySide.Level> levels = SideBySide.levels(List.of(
        row("datastore", "put", 1, 200, 3_000, 9_000), row("etcd", "put", 1, 300, 2_000, 8_000),
        row("datastore", "put", 64, 3000, 10_000, 40_000), row("etcd", "put", 64, 2000, 12_000, 50_000),
        row("datastore", "get", 64, 9000, 5_000, 20_000), row("etcd", "get", 64, 4000, 6_000, 30_000)));
    SideBySide.Failover ours = new SideBySide.Failover(new double[] {900, 1000, 1700});
    SideBySide.Failover etcd = new SideBySide.Failover(new double[] {2100, 2000, 2200});

    List<SideBySide.Verdict> v = SideBySide.verdicts(levels, ours, etcd);

    assertThat(v).extracting(SideBySide.Verdict::met).containsExactly(
        true,   // put C=64: 1.5x
        true,   // put p99 40 <= 50 ms
        false,  // put p50 at C=1: 3 ms > 2 ms
        true,   // get C=64: 2.25x
        true,   // failover median 1000 <= 0.5 x 2100
        false); // worst 1700 ms > 1.5 s
    assertThat(v.get(0).measured()).isEqualTo("3000 vs 2000 ops/s = 1.50x");
  }
}
