package io.gravwell.datastore.chaos.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ThreadDumpTest {
  private static final String DUMP = String.join("\n",
      "2026-11-29 08:55:01",
      "Full thread dump OpenJDK 64-Bit Server VM (17.0.13+11 mixed mode, sharing):",
      "",
      "\"raft-replies-1\" #40 daemon prio=5 os_prio=0 cpu=12.00ms elapsed=60.00s tid=0x1 nid=0x2 waiting on condition",
      "   java.lang.Thread.State: WAITING (parking)",
      "\tat jdk.internal.misc.Unsafe.park(java.base@17/Native Method)",
      "",
      "\"apply-1\" #41 daemon prio=5 os_prio=0 cpu=900.00ms elapsed=60.00s tid=0x3 nid=0x4 waiting for monitor entry",
      "   java.lang.Thread.State: BLOCKED (on object monitor)",
      "\tat io.gravwell.datastore.statemachine.GroupCommit.run(GroupCommit.java:120)",
      "\t- waiting to lock <0x1234> (a java.lang.Object)",
      "",
      "\"main\" #1 prio=5 os_prio=0 cpu=1.00ms elapsed=61.00s tid=0x5 nid=0x6 waiting on condition",
      "   java.lang.Thread.State: TIMED_WAITING (sleeping)",
      "");

  @Test
  void keepsOnlyTheMatchingThreadsStacks() {
    List<String> stacks = ThreadDump.stacks(DUMP, ThreadDump.APPLY_THREADS);
    assertThat(stacks).hasSize(4);
    assertThat(stacks.get(0)).startsWith("\"apply-1\"");
    assertThat(stacks.get(1)).contains("BLOCKED");
    assertThat(stacks).noneMatch(l -> l.contains("raft-replies") || l.contains("sleeping") || l.contains("Unsafe.park"));
  }

  @Test
  void cutsLongStacks() {
    StringBuilder deep = new StringBuilder("\"apply-2\" #42 daemon\n   java.lang.Thread.State: RUNNABLE\n");
    for (int i = 0; i < 50; i++) {
      deep.append("\tat a.B.m").append(i).append("(B.java:").append(i).append(")\n");
    }
    assertThat(ThreadDump.stacks(deep.toString(), ThreadDump.APPLY_THREADS)).hasSize(1 + ThreadDump.FRAMES + 1);
    assertThat(ThreadDump.stacks("no threads at all", ThreadDump.APPLY_THREADS)).isEmpty();
  }
}
