package io.gravwell.datastore.bench;

import static io.gravwell.datastore.bench.SideBySide.fmt;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Turns one side-by-side run's raw results (the load generator's and the failover probe's JSON lines) into
 * compare.csv and failover.csv (machine-readable, also the plots' input) and compare.md (tables with the
 * ratios ours/etcd and the verdict on each target).
 */
@Command(name = "compare-report", mixinStandardHelpOptions = true,
    description = "Side-by-side tables (CSV + markdown) from a compare.sh run's results.")
public final class CompareReport implements Callable<Integer> {

  @Option(names = "--results", description = "load generator results (JSON lines, both targets)")
  Path results;

  @Option(names = "--failover", description = "failover probe results (JSON lines, both targets)")
  Path failover;

  @Option(names = "--out-dir", required = true, description = "where compare.csv, failover.csv and compare.md go")
  Path outDir;

  public static void main(String[] args) {
    System.exit(new CommandLine(new CompareReport()).execute(args));
  }

  @Override
  public Integer call() throws IOException {
    List<SideBySide.Level> levels = SideBySide.levels(read(results));
    List<Map<String, String>> rounds = read(failover);
    SideBySide.Failover ours = SideBySide.failover(rounds, SideBySide.OURS);
    SideBySide.Failover etcd = SideBySide.failover(rounds, SideBySide.ETCD);
    List<SideBySide.Verdict> verdicts = SideBySide.verdicts(levels, ours, etcd);

    Files.createDirectories(outDir);
    Files.writeString(outDir.resolve("compare.csv"), levelsCsv(levels), StandardCharsets.UTF_8);
    Files.writeString(outDir.resolve("failover.csv"), failoverCsv(ours, etcd), StandardCharsets.UTF_8);
    String md = markdown(levels, ours, etcd, verdicts);
    Files.writeString(outDir.resolve("compare.md"), md, StandardCharsets.UTF_8);
    System.out.print(md);
    return 0;
  }

  /** The JSON-line rows of a file; none when the file was not given or not written (a phase skipped). */
  private static List<Map<String, String>> read(Path file) throws IOException {
    List<Map<String, String>> rows = new ArrayList<>();
    if (file == null || !Files.exists(file)) {
      return rows;
    }
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (line.startsWith("{")) {
        rows.add(SideBySide.parseFlatJson(line));
      }
    }
    return rows;
  }

  static String levelsCsv(List<SideBySide.Level> levels) {
    StringBuilder sb = new StringBuilder("op,clients,datastore_ops_per_s,etcd_ops_per_s,ops_ratio,"
        + "datastore_p50_ms,etcd_p50_ms,p50_ratio,datastore_p99_ms,etcd_p99_ms,p99_ratio,"
        + "datastore_errors,etcd_errors,datastore_cpu_us_per_op,etcd_cpu_us_per_op\n");
    for (SideBySide.Level l : levels) {
      sb.append(fmt("%s,%d,%.1f,%.1f,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,%.0f,%.0f,%.0f,%.0f%n", l.op(), l.clients(),
          l.ours("ops_per_s"), l.etcd("ops_per_s"), l.ratio("ops_per_s"),
          l.ours("p50_us") / 1000, l.etcd("p50_us") / 1000, l.ratio("p50_us"),
          l.ours("p99_us") / 1000, l.etcd("p99_us") / 1000, l.ratio("p99_us"),
          l.ours("errors"), l.etcd("errors"), l.ours("nodes_cpu_us_per_op"), l.etcd("nodes_cpu_us_per_op")));
    }
    return sb.toString();
  }

  static String failoverCsv(SideBySide.Failover ours, SideBySide.Failover etcd) {
    StringBuilder sb = new StringBuilder("round,datastore_gap_ms,etcd_gap_ms\n");
    int n = Math.max(ours.gapsMs().length, etcd.gapsMs().length);
    for (int i = 0; i < n; i++) {
      sb.append(fmt("%d,%s,%s%n", i + 1, i < ours.gapsMs().length ? fmt("%.1f", ours.gapsMs()[i]) : "",
          i < etcd.gapsMs().length ? fmt("%.1f", etcd.gapsMs()[i]) : ""));
    }
    return sb.toString();
  }

  static String markdown(List<SideBySide.Level> levels, SideBySide.Failover ours, SideBySide.Failover etcd,
      List<SideBySide.Verdict> verdicts) {
    StringBuilder sb = new StringBuilder();
    sb.append("| op  | C  | ours ops/s | etcd ops/s | ratio | ours p50 ms | etcd p50 ms | ours p99 ms | etcd p99 ms "
        + "| p99 ratio | cluster CPU/op ours / etcd | errors ours / etcd |\n");
    sb.append("|-----|---:|-----------:|-----------:|------:|------------:|------------:|------------:|------------:"
        + "|----------:|---------------------------:|-------------------:|\n");
    for (SideBySide.Level l : levels) {
      sb.append(fmt("| %s | %d | %,.0f | %,.0f | %.2f | %.2f | %.2f | %.1f | %.1f | %.2f | %,.0f / %,.0f µs | %.0f / %.0f |%n",
          l.op(), l.clients(), l.ours("ops_per_s"), l.etcd("ops_per_s"), l.ratio("ops_per_s"),
          l.ours("p50_us") / 1000, l.etcd("p50_us") / 1000, l.ours("p99_us") / 1000, l.etcd("p99_us") / 1000,
          l.ratio("p99_us"), l.ours("nodes_cpu_us_per_op"), l.etcd("nodes_cpu_us_per_op"), l.ours("errors"),
          l.etcd("errors")));
    }
    if (ours.gapsMs().length > 0 || etcd.gapsMs().length > 0) {
      sb.append("\nFailover (kill -9 of the leader under 4 writers), longest gap between successful writes:\n\n");
      sb.append("| system | rounds (ms) | median ms | worst ms |\n|--------|-------------|----------:|---------:|\n");
      sb.append(failoverRow("ours", ours)).append(failoverRow("etcd", etcd));
    }
    sb.append("\n| target | measured (ours vs etcd) | |\n|--------|-------------------------|---|\n");
    for (SideBySide.Verdict v : verdicts) {
      sb.append(fmt("| %s | %s | %s |%n", v.target(), v.measured(), v.met() ? "met" : "**missed**"));
    }
    return sb.toString();
  }

  private static String failoverRow(String name, SideBySide.Failover f) {
    StringBuilder rounds = new StringBuilder();
    for (double g : f.gapsMs()) {
      rounds.append(rounds.length() == 0 ? "" : ", ").append(fmt("%.0f", g));
    }
    return fmt("| %s | %s | %.0f | %.0f |%n", name, rounds, f.median(), f.worst());
  }
}
