package io.gravwell.datastore.chaos.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunReportTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  private final Histories h = new Histories();
  private List<NemesisEvent> timeline;
  private final Map<String, CheckResult> verdicts = new LinkedHashMap<>();

  /** A stale read under a leader partition; the set workload was fine. */
  private void staleReadRun() {
    h.clock.set(5_000_000_000L);
    h.wrote(0, "x", 1);
    long start = h.clock.get();
    h.wrote(1, "x", 2);
    h.history.unknown(h.cas(2, "x", 2, 3), "deadline \"exceeded\"\n(after 5 s)");
    h.readGot(0, "x", 1L);
    timeline = List.of(NemesisEvent.start(start, "partition-leader", "n1 | n2 n3"),
        NemesisEvent.heal(h.clock.get(), "partition-leader", ""));
    verdicts.put("linearizable", LinearizabilityChecker.check(h.ops()));
    verdicts.put("set", CheckResult.pass("valid: 3 acknowledged adds present"));
  }

  @Test
  void writesHistoryTimelineAndVerdictAsJson() throws IOException {
    staleReadRun();

    Path run = RunReport.write(dir, "register-partition-leader", 4242L, h.ops(), timeline, verdicts);

    assertThat(run).isEqualTo(dir.resolve("register-partition-leader"));
    List<String> history = Files.readAllLines(run.resolve("history.jsonl"));
    assertThat(history).hasSize(h.ops().size());
    JsonNode cas = JSON.readTree(history.get(4));
    assertThat(cas.get("type").asText()).isEqualTo("CAS");
    assertThat(cas.get("outcome").asText()).isEqualTo("INVOKE");
    assertThat(cas.get("value").get(0).asLong()).isEqualTo(2);
    assertThat(cas.get("value").get(1).asLong()).isEqualTo(3);
    assertThat(JSON.readTree(history.get(5)).get("error").asText()).isEqualTo("deadline \"exceeded\"\n(after 5 s)");
    JsonNode read = JSON.readTree(history.get(7));
    assertThat(read.get("value").asLong()).isEqualTo(1);
    assertThat(read.get("index").asLong()).isEqualTo(7);
    assertThat(read.get("process").asInt()).isZero();

    List<String> events = Files.readAllLines(run.resolve("timeline.jsonl"));
    assertThat(events).hasSize(2);
    assertThat(JSON.readTree(events.get(0)).get("detail").asText()).isEqualTo("n1 | n2 n3");
    assertThat(JSON.readTree(events.get(1)).get("action").asText()).isEqualTo("HEAL");

    JsonNode verdict = JSON.readTree(run.resolve("verdict.json").toFile());
    assertThat(verdict.get("seed").asLong()).isEqualTo(4242L);
    assertThat(verdict.get("verdict").asText()).isEqualTo("INVALID");
    assertThat(verdict.get("valid").asBoolean()).isFalse();
    assertThat(verdict.get("checkers").get("set").get("verdict").asText()).isEqualTo("VALID");
    JsonNode lin = verdict.get("checkers").get("linearizable");
    assertThat(lin.get("explanation").asText()).contains("key x");
    assertThat(lin.get("window")).extracting(JsonNode::asLong).contains(6L, 7L);
  }

  @Test
  void theSummaryShowsSeedTimelineVerdictsAndTheWindow() throws IOException {
    staleReadRun();

    Path run = RunReport.write(dir, "r", 4242L, h.ops(), timeline, verdicts);
    String summary = Files.readString(run.resolve("summary.txt"));

    assertThat(summary).contains("seed:    4242").contains("result:  INVALID")
        .contains("8 events (4 invoke, 3 ok, 1 unknown)")
        .contains("    +0.000s  partition-leader start  n1 | n2 n3")
        .contains("partition-leader heal")
        .contains("linearizable: INVALID  1 of 1 keys not linearizable: key x")
        .contains("set: VALID")
        .contains("window of history around the violation (linearizable):")
        .contains("#7 p0 ok READ x 1")
        .contains("#5 p2 unknown CAS x (deadline \"exceeded\" (after 5 s))");
    assertThat(summary).isEqualTo(RunReport.summary("r", 4242L, h.ops(), timeline, verdicts));
  }

  @Test
  void overallVerdict() {
    assertThat(RunReport.overall(Map.of())).isEqualTo(Verdict.UNKNOWN);
    assertThat(RunReport.overall(Map.of("a", CheckResult.pass("")))).isEqualTo(Verdict.VALID);
    assertThat(RunReport.overall(Map.of("a", CheckResult.pass(""), "b", CheckResult.unknown("too complex"))))
        .isEqualTo(Verdict.UNKNOWN);
    assertThat(RunReport.overall(Map.of("a", CheckResult.unknown(""), "b", CheckResult.violation("", List.of()))))
        .isEqualTo(Verdict.INVALID);
  }

  @Test
  void aPassingRunWithoutFaults() throws IOException {
    h.wrote(0, "x", 1).readGot(1, "x", 1L);
    Path run = RunReport.write(dir, "quiet", 1L, h.ops(), List.of(),
        Map.of("linearizable", LinearizabilityChecker.check(h.ops())));

    assertThat(Files.readString(run.resolve("summary.txt"))).contains("result:  VALID").contains("(no faults)")
        .doesNotContain("window of history");
    assertThat(Files.readAllLines(run.resolve("timeline.jsonl"))).isEmpty();
  }

  @Test
  void anUnwritableDirectoryIsNamed() throws IOException {
    Path file = Files.writeString(dir.resolve("not-a-dir"), "x");

    assertThatThrownBy(() -> RunReport.write(file, "r", 1L, List.of(), List.of(), Map.of()))
        .isInstanceOf(UncheckedIOException.class).hasMessageContaining("not-a-dir");
  }

  @Test
  void jsonEscapesWhatJsonMust() throws IOException {
    String nasty = "quote \" backslash \\ newline \n tab \t bell \u0007 line-sep \u2028 é 😀";
    JsonNode node = JSON.readTree(Json.of(Map.of("s", nasty, "n", List.of(1L, 2.5, true), "nan", Double.NaN)));

    assertThat(node.get("s").asText()).isEqualTo(nasty);
    assertThat(node.get("n").get(1).asDouble()).isEqualTo(2.5);
    assertThat(node.get("nan").isNull()).isTrue();
  }
}
