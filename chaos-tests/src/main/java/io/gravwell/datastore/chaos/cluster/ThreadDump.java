package io.gravwell.datastore.chaos.cluster;

import java.util.ArrayList;
import java.util.List;

/**
 * The parts of a JVM thread dump (`jcmd PID Thread.print`) that say why a node fell behind: the stacks of its
 * apply threads (an applied index that stands still while the commit index moves is either waiting for
 * entries or blocked, and only the stack tells which), and of the threads that answer its status.
 */
final class ThreadDump {
  static final String APPLY_THREADS = "\"apply-";
  static final String REPLY_THREADS = "\"raft-replies";
  static final int FRAMES = 10;

  private ThreadDump() {}

  /** The header and first {@link #FRAMES} frames of every thread whose name starts like {@code prefix}. */
  static List<String> stacks(String dump, String prefix) {
    List<String> out = new ArrayList<>();
    int frames = -1; // -1: not inside a matching thread
    for (String line : dump.split("\n")) {
      if (line.startsWith("\"")) {
        frames = line.startsWith(prefix) ? 0 : -1;
        if (frames == 0) {
          out.add(line.length() > 160 ? line.substring(0, 160) + "..." : line);
        }
      } else if (frames >= 0 && !line.isBlank() && frames < FRAMES + 1) {
        out.add(line.stripTrailing());
        frames++;
      }
    }
    return out;
  }
}
