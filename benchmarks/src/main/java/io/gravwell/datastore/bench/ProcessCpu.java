package io.gravwell.datastore.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time of another process as Linux accounts it, for the benchmarks' per-node CPU figures. */
public final class ProcessCpu {

  private ProcessCpu() {}

  /** utime + stime of {@code pid} in clock ticks (see `getconf CLK_TCK`), from /proc/PID/stat. */
  public static long ticks(int pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    // After "pid (comm) " (comm may hold spaces, hence the last ')'): f[0] = state (field 3),
    // utime = field 14, stime = field 15.
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }
}
