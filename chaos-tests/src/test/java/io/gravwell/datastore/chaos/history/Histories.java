package io.gravwell.datastore.chaos.history;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Writes register histories in tests: each call is one event, in the order written, 1 µs apart. */
final class Histories {

  final AtomicLong clock = new AtomicLong();
  final History history = new History(() -> clock.addAndGet(1_000));

  long write(int process, String key, long value) {
    return history.invoke(process, OpType.WRITE, key, value);
  }

  long read(int process, String key) {
    return history.invoke(process, OpType.READ, key, null);
  }

  long cas(int process, String key, long expected, long value) {
    return history.invoke(process, OpType.CAS, key, new long[] {expected, value});
  }

  Histories ok(long p) {
    history.ok(p, null);
    return this;
  }

  Histories ok(long p, Long value) {
    history.ok(p, value);
    return this;
  }

  Histories fail(long p, String reason) {
    history.fail(p, reason);
    return this;
  }

  Histories unknown(long p) {
    history.unknown(p, "timed out");
    return this;
  }

  /** A write that completes before the next event. */
  Histories wrote(int process, String key, long value) {
    return ok(write(process, key, value));
  }

  /** A read that completes before the next event. */
  Histories readGot(int process, String key, Long value) {
    return ok(read(process, key), value);
  }

  List<Op> ops() {
    return history.ops();
  }

  CheckResult check() {
    return LinearizabilityChecker.check(ops());
  }
}
