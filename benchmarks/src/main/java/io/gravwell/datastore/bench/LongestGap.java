package io.gravwell.datastore.bench;

/**
 * The longest stretch without a successful write inside a window. The window's edges count as boundaries:
 * a cluster that never recovers shows a gap from its last write to the end of the window, not none.
 */
record LongestGap(long fromNanos, long toNanos) {

  long nanos() {
    return toNanos - fromNanos;
  }

  /**
   * @param successes completion times of successful writes (System.nanoTime), in ascending order
   */
  static LongestGap in(long[] successes, long windowStart, long windowEnd) {
    if (windowEnd < windowStart) {
      throw new IllegalArgumentException("window ends before it starts");
    }
    long prev = windowStart;
    LongestGap best = new LongestGap(windowStart, windowStart);
    for (long t : successes) {
      if (t < windowStart) {
        continue;
      }
      if (t > windowEnd) {
        break;
      }
      if (t - prev > best.nanos()) {
        best = new LongestGap(prev, t);
      }
      prev = t;
    }
    if (windowEnd - prev > best.nanos()) {
      best = new LongestGap(prev, windowEnd);
    }
    return best;
  }
}
