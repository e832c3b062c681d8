package io.gravwell.datastore.chaos.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.gravwell.datastore.chaos.nemesis.NemesisEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * MERGE POINT: the only place the container runs touch the history model and the checkers, which live
 * in {@code io.gravwell.datastore.chaos.history} (written on another branch). Until they are wired here,
 * these stand-ins keep the runs honest but weaker: the register check only proves that every read
 * returned a value some write could have produced by then (not full linearizability), the set check is
 * complete, and the report is JSON lines plus summary.txt. At merge: Recorder → History,
 * checkRegister → LinearizabilityChecker.check, checkSet → SetChecker.check, writeReport → RunReport.write.
 */
public final class HistoryAdapter {
  private HistoryAdapter() {}

  public enum OpType { READ, WRITE, CAS, ADD }

  public enum Kind { INVOKE, OK, FAIL, UNKNOWN }

  /** One history event; {@code op} pairs an invocation with its completion. */
  public record Op(long op, int process, Kind kind, OpType f, String key, Object value, long nanos, String reason) {}

  /** Thread-safe history recorder (History's API). */
  public static final class Recorder {
    private final LongSupplier clock;
    private final AtomicLong next = new AtomicLong(1);
    private final List<Op> ops = new CopyOnWriteArrayList<>();
    private final Map<Long, Op> open = new ConcurrentHashMap<>();

    public Recorder(LongSupplier clock) {
      this.clock = clock;
    }

    public long invoke(int process, OpType f, String key, Object value) {
      Op op = new Op(next.getAndIncrement(), process, Kind.INVOKE, f, key, value, clock.getAsLong(), null);
      open.put(op.op(), op);
      ops.add(op);
      return op.op();
    }

    public void ok(long p, Object value) {
      complete(p, Kind.OK, value, null);
    }

    public void fail(long p, String reason) {
      complete(p, Kind.FAIL, null, reason);
    }

    public void unknown(long p, String reason) {
      complete(p, Kind.UNKNOWN, null, reason);
    }

    private void complete(long p, Kind kind, Object value, String reason) {
      Op inv = open.remove(p);
      if (inv == null) {
        throw new IllegalStateException("operation " + p + " completed twice or never invoked");
      }
      ops.add(new Op(p, inv.process(), kind, inv.f(), inv.key(), kind == Kind.OK && value != null ? value : inv.value(),
          clock.getAsLong(), reason));
    }

    public List<Op> ops() {
      return List.copyOf(ops);
    }
  }

  public record Verdict(boolean valid, String explanation, List<Op> window) {}

  /**
   * Stand-in register check: every OK read returns null (never written) or a value that some write or CAS
   * invoked before the read completed. Catches invented and future values, not stale ones.
   */
  public static Verdict checkRegister(List<Op> history) {
    Map<String, List<Op>> writes = new HashMap<>();
    Map<Long, Op> invokes = new HashMap<>();
    for (Op o : history) {
      if (o.kind() == Kind.INVOKE) {
        invokes.put(o.op(), o);
        if (o.f() == OpType.WRITE || o.f() == OpType.CAS) {
          writes.computeIfAbsent(o.key(), k -> new ArrayList<>()).add(o);
        }
      }
    }
    for (Op o : history) {
      if (o.kind() != Kind.OK || o.f() != OpType.READ || o.value() == null) {
        continue;
      }
      boolean possible = writes.getOrDefault(o.key(), List.of()).stream()
          .anyMatch(w -> w.nanos() < o.nanos() && Objects.equals(written(w), o.value()));
      if (!possible) {
        Op inv = invokes.get(o.op());
        return new Verdict(false, "read of " + o.key() + " returned " + o.value()
            + " which no write had offered by then (stand-in check)", window(history, inv == null ? o : inv, o));
      }
    }
    return new Verdict(true, "stand-in register check passed (no invented or future values); full "
        + "linearizability arrives with LinearizabilityChecker", List.of());
  }

  private static Object written(Op w) {
    return w.f() == OpType.CAS ? ((long[]) w.value())[1] : w.value();
  }

  private static List<Op> window(List<Op> history, Op from, Op to) {
    return history.stream().filter(x -> x.nanos() >= from.nanos() - 1_000_000_000L && x.nanos() <= to.nanos()
        && Objects.equals(x.key(), to.key())).toList();
  }

  /** Lost = acknowledged but absent; unexpected = present but never attempted; duplicated = read twice. */
  public static Verdict checkSet(Set<Long> acked, Set<Long> attempted, List<Long> finalRead) {
    Set<Long> seen = new HashSet<>();
    Set<Long> duplicated = new TreeSet<>();
    for (Long x : finalRead) {
      if (!seen.add(x)) {
        duplicated.add(x);
      }
    }
    Set<Long> lost = new TreeSet<>(acked);
    lost.removeAll(seen);
    Set<Long> unexpected = new TreeSet<>(seen);
    unexpected.removeAll(attempted);
    boolean valid = lost.isEmpty() && duplicated.isEmpty() && unexpected.isEmpty();
    String explanation = String.format("acked %d, attempted %d, read %d; lost %d %s, duplicated %d %s, unexpected %d %s",
        acked.size(), attempted.size(), finalRead.size(), lost.size(), head(lost), duplicated.size(), head(duplicated),
        unexpected.size(), head(unexpected));
    return new Verdict(valid, explanation, List.of());
  }

  private static String head(Set<Long> s) {
    return s.isEmpty() ? "" : s.stream().limit(20).toList().toString();
  }

  private static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

  /** history.jsonl, timeline.jsonl, verdicts.json and summary.txt in {@code dir}. */
  public static void writeReport(Path dir, String runName, long seed, List<Op> history, List<NemesisEvent> timeline,
      Map<String, Verdict> verdicts) {
    try {
      Files.createDirectories(dir);
      List<String> lines = new ArrayList<>();
      for (Op o : history) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("op", o.op());
        m.put("process", o.process());
        m.put("type", o.kind().name().toLowerCase(java.util.Locale.ROOT));
        m.put("f", o.f().name().toLowerCase(java.util.Locale.ROOT));
        m.put("key", o.key());
        m.put("value", o.value() instanceof long[] a ? Arrays.stream(a).boxed().toList() : o.value());
        m.put("nanos", o.nanos());
        if (o.reason() != null) {
          m.put("reason", o.reason());
        }
        lines.add(JSON.writeValueAsString(m));
      }
      Files.write(dir.resolve("history.jsonl"), lines);
      List<String> events = new ArrayList<>();
      for (NemesisEvent e : timeline) {
        events.add(JSON.writeValueAsString(e));
      }
      Files.write(dir.resolve("timeline.jsonl"), events);
      Map<String, Object> v = new LinkedHashMap<>();
      verdicts.forEach((k, x) -> v.put(k, Map.of("valid", x.valid(), "explanation", x.explanation())));
      Files.writeString(dir.resolve("verdicts.json"), JSON.writeValueAsString(v));
      StringBuilder s = new StringBuilder();
      boolean ok = verdicts.values().stream().allMatch(Verdict::valid);
      s.append("run ").append(runName).append(" seed ").append(seed).append(": ").append(ok ? "PASS" : "FAIL").append('\n')
          .append(history.size()).append(" history events, ").append(timeline.size()).append(" nemesis events\n");
      verdicts.forEach((k, x) -> s.append(x.valid() ? "  ok   " : "  FAIL ").append(k).append(": ")
          .append(x.explanation()).append('\n'));
      Files.writeString(dir.resolve("summary.txt"), s.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
