package io.gravwell.datastore.node.cli;

import io.gravwell.datastore.statemachine.BackupProgress;
import java.io.PrintWriter;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * One stderr line rewritten in place ({@code [#####     ]  50% 1.0/2.0 MiB}) for commands that move many
 * bytes. Redrawn at most every 200 ms so a fast disk does not flood a terminal or a log; the final 100%
 * is always drawn. With {@code quiet} it prints nothing, so scripts get clean stderr.
 */
final class ProgressBar implements BackupProgress {
  private static final long INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
  private static final int WIDTH = 20;
  static final double MIB = 1048576.0;

  private final PrintWriter err;
  private final boolean quiet;
  private final LongSupplier nanoClock;
  private long total;
  private long done;
  // a flag, not lastDraw == 0: System.nanoTime() may be any value, including 0 or negative
  private boolean drawn;
  private long lastDraw;

  ProgressBar(PrintWriter err, boolean quiet) {
    this(err, quiet, System::nanoTime);
  }

  ProgressBar(PrintWriter err, boolean quiet, LongSupplier nanoClock) {
    this.err = err;
    this.quiet = quiet;
    this.nanoClock = nanoClock;
  }

  /** A whole line about the phase the command is in; silent with quiet, like the bar. */
  void note(String line) {
    if (!quiet) {
      err.println(line);
      err.flush();
    }
  }

  @Override
  public void start(long totalBytes) {
    total = totalBytes;
    done = 0;
  }

  @Override
  public void advanced(long bytes) {
    update(done + bytes);
  }

  /** {@code doneBytes} of the total are processed. */
  void update(long doneBytes) {
    done = doneBytes;
    long now = nanoClock.getAsLong();
    if (quiet || (drawn && now - lastDraw < INTERVAL_NANOS && done < total)) {
      return;
    }
    drawn = true;
    lastDraw = now;
    // clamped: a damaged archive may hold more bytes than its manifest says, until verify notices
    int pct = total <= 0 ? 100 : (int) Math.min(100, 100 * done / total);
    int bar = pct * WIDTH / 100;
    err.printf("\r[%s%s] %3d%% %.1f/%.1f MiB", "#".repeat(bar), " ".repeat(WIDTH - bar), pct, done / MIB, total / MIB);
    err.flush();
  }

  /** Ends the bar's line, if one was drawn, so what follows starts on a line of its own. */
  void done() {
    if (drawn) {
      err.println();
      err.flush();
      drawn = false;
    }
  }
}
