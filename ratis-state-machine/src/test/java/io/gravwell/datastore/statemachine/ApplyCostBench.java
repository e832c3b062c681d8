package io.gravwell.datastore.statemachine;

import com.google.protobuf.ByteString;
import io.gravwell.datastore.protocol.v1.Batch;
import io.gravwell.datastore.protocol.v1.Mutation;
import io.gravwell.datastore.protocol.v1.ObjectKey;
import io.gravwell.datastore.protocol.v1.Put;
import io.gravwell.datastore.protocol.v1.StoredObject;
import io.gravwell.datastore.statemachine.v1.LogEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tool, not a test: the CPU one replica spends applying a put, by how many puts share one store
 * transaction. It drives the real state machine on a real Xodus store, on one thread, without Raft, with
 * the load generator's workload (256-byte values over 10,000 keys, each put its own batch inside a write
 * group, as the leader's write batcher builds them). Skipped unless asked for:
 *
 * <pre>
 *   mvn -B -ntp -pl ratis-state-machine test -Dtest=ApplyCostBench -Dapply.bench=true \
 *       [-Dapply.bench.perCommit=16,48,192,768] [-Dapply.bench.puts=30000]
 * </pre>
 *
 * It prints a table and writes it to ratis-state-machine/target/apply-cost.txt. Timing starts after a
 * warm-up of every size, so the JIT compilers are done; the figure is the median of nine rounds, three in
 * each of three passes over the sizes.
 */
@EnabledIfSystemProperty(named = "apply.bench", matches = "true")
class ApplyCostBench {

  private static final int KEYS = 10_000;
  private static final int VALUE_BYTES = 256;
  private static final int ROUNDS = 3;
  private static final int PASSES = 3;

  @TempDir Path dir;

  @Test
  void perPutCostByPutsPerCommit() throws IOException {
    int[] sizes = Arrays.stream(System.getProperty("apply.bench.perCommit", "16,48,192,768").split(","))
        .mapToInt(s -> Integer.parseInt(s.trim())).toArray();
    int puts = Integer.getInteger("apply.bench.puts", 30_000);
    ObjectKey[] keys = new ObjectKey[KEYS];
    for (int i = 0; i < KEYS; i++) {
      keys[i] = ObjectKey.newBuilder().setDomain("bench").setKind("bench").setId(String.format("key-%08d", i)).build();
    }
    Workload w = new Workload(keys, new Random(1));
    List<String> lines = new ArrayList<>();
    lines.add(String.format("%-12s %12s %14s", "puts/commit", "us per put", "us per commit"));
    // The sizes take turns, pass after pass: run one after another, each size's figure moved with where it
    // stood in the order (the JIT compilers, the store's growth), by more than the differences measured.
    double[][] perPut = new double[sizes.length][PASSES * ROUNDS];
    try (Machine m = Machine.open(dir)) {
      m.apply(Entries.initIdentity(w.nextTimestamp(), "apply-bench"));
      w.fill(m);
      for (int size : sizes) {
        w.run(m, size, Math.max(1, puts / size)); // warm-up
      }
      for (int pass = 0; pass < PASSES; pass++) {
        for (int i = 0; i < sizes.length; i++) {
          int entries = Math.max(1, puts / sizes[i]);
          for (int r = 0; r < ROUNDS; r++) {
            perPut[i][pass * ROUNDS + r] = w.run(m, sizes[i], entries) / 1e3 / ((double) entries * sizes[i]);
          }
        }
      }
    }
    for (int i = 0; i < sizes.length; i++) {
      Arrays.sort(perPut[i]);
      double median = perPut[i][perPut[i].length / 2];
      lines.add(String.format("%-12d %12.2f %14.1f", sizes[i], median, median * sizes[i]));
    }
    lines.forEach(System.out::println);
    Path out = Path.of("target", "apply-cost.txt");
    Files.createDirectories(out.getParent());
    Files.write(out, lines);
  }

  /** The load generator's puts: random keys, random values, a clock that moves forward. */
  private static final class Workload {
    private final ObjectKey[] keys;
    private final Random random;
    private final byte[] value = new byte[VALUE_BYTES];
    private long clockMs = 1_000_000;

    Workload(ObjectKey[] keys, Random random) {
      this.keys = keys;
      this.random = random;
    }

    long nextTimestamp() {
      return ++clockMs;
    }

    /** Writes every key once, so the store holds the whole key space before anything is timed. */
    void fill(Machine m) {
      for (int from = 0; from < keys.length; from += 500) {
        m.apply(entryOf(IntStream.range(from, Math.min(keys.length, from + 500))));
      }
    }

    /** Applies {@code entries} entries of {@code size} puts each, one store transaction per entry; returns ns. */
    long run(Machine m, int size, int entries) {
      List<LogEntry> built = new ArrayList<>(entries);
      for (int e = 0; e < entries; e++) {
        built.add(entryOf(IntStream.generate(() -> random.nextInt(keys.length)).limit(size)));
      }
      long started = System.nanoTime();
      built.forEach(m::apply);
      return System.nanoTime() - started;
    }

    /** One write group holding a put of each of {@code keyIndexes}, each its own batch. */
    private LogEntry entryOf(IntStream keyIndexes) {
      List<Batch> batches = keyIndexes.mapToObj(this::batchFor).toList();
      return Entries.group(nextTimestamp(), batches);
    }

    private Batch batchFor(int key) {
      random.nextBytes(value);
      return Batch.newBuilder().addMutations(Mutation.newBuilder().setPut(Put.newBuilder()
          .setObject(StoredObject.newBuilder().setKey(keys[key]).setPayload(ByteString.copyFrom(value))
              .setUpdatedMs(nextTimestamp()).setOrigin("ws-bench")))).build();
    }
  }
}
