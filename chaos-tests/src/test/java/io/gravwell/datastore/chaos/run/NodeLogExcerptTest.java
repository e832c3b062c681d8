package io.gravwell.datastore.chaos.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeLogExcerptTest {
  private static final String INFO = "2026-11-29 08:39:36,080 INFO  [main] o.a.r.s.Foo - ";
  private static final String WARN = "2026-11-29 08:39:36,080 WARN  [grpc-5] o.a.r.g.Appender - ";

  @Test
  void keepsOnlyTellingLinesAndTheLastOfThem() {
    List<String> lines = new ArrayList<>();
    lines.add(INFO + "ds2@group: changes role from FOLLOWER to CANDIDATE at term 6");
    for (int i = 0; i < 30; i++) {
      lines.add(INFO + "applied batch " + i);
      lines.add(WARN + "failed " + i);
      lines.add("\tat org.apache.ratis.thirdparty.io.grpc.internal.ClientCallImpl$1StreamClosed.runInternal(x.java:1)");
    }
    List<String> tail = NodeLogExcerpt.tail(lines);
    assertThat(tail).hasSize(NodeLogExcerpt.LINES_PER_NODE)
        .noneMatch(l -> l.contains("applied batch") || l.contains("StreamClosed"))
        .last().asString().endsWith("failed 29");
    assertThat(tail.get(0)).endsWith("failed " + (30 - NodeLogExcerpt.LINES_PER_NODE));
  }

  @Test
  void aRetryLoopIsCountedNotRepeated() {
    List<String> lines = new ArrayList<>();
    lines.add(INFO + "ds3@group: changes role from CANDIDATE to FOLLOWER at term 7");
    for (int i = 0; i < 500; i++) {
      lines.add(WARN.replace("36,080", "36," + (100 + i % 900)) + "received INCONSISTENCY reply with nextIndex 1");
    }
    assertThat(NodeLogExcerpt.tail(lines)).hasSize(2)
        .satisfies(t -> assertThat(t.get(0)).contains("changes role"))
        .satisfies(t -> assertThat(t.get(1)).endsWith("nextIndex 1 (x500)"));
  }

  @Test
  void oneBlockPerNodeWithALog(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("ds1"));
    Files.createDirectories(dir.resolve("ds2"));
    Files.writeString(dir.resolve("ds2/node.log"), WARN + "x".repeat(1000) + "\n" + INFO + "quiet\n");
    String excerpt = NodeLogExcerpt.of(dir);
    assertThat(excerpt).contains("ds2's node.log").doesNotContain("ds1").doesNotContain("quiet")
        .contains("x".repeat(100) + "...");
    assertThat(excerpt.lines().mapToInt(String::length).max().orElse(0)).isLessThan(260);
    assertThat(NodeLogExcerpt.of(dir.resolve("missing"))).isEmpty();
  }
}
