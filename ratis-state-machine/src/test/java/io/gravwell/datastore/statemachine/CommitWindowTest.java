package io.gravwell.datastore.statemachine;

import static io.gravwell.datastore.statemachine.Entries.key;
import static io.gravwell.datastore.statemachine.Entries.put;
import static io.gravwell.datastore.statemachine.Entries.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gravwell.datastore.protocol.v1.Get;
import io.gravwell.datastore.protocol.v1.Outcome;
import io.gravwell.datastore.statemachine.v1.EntryResult;
import io.gravwell.datastore.statemachine.v1.Query;
import io.gravwell.datastore.statemachine.v1.QueryResult;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.ratis.protocol.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes applied through the apply thread share store commits: answered at once, visible at the commit,
 * which a waiting reader, a snapshot, a pause or the delay brings about. The delay here is the longest
 * allowed (1 s), so anything visible well before it was committed on request.
 */
class CommitWindowTest {

  private static final Duration DELAY = Duration.ofSeconds(1);
  /** Well below the delay: a commit that happened within it was asked for. */
  private static final Duration PROMPTLY = Duration.ofMillis(600);

  @TempDir Path dir;
  private final AtomicInteger commits = new AtomicInteger();
  private Machine m;

  private Machine open() {
    return Machine.open(dir, Machine.settings().toBuilder()
        .commitDelay(DELAY)
        .storeEngine(new CountingEngine(commits))
        .build());
  }

  @AfterEach
  void close() {
    if (m != null) {
      m.close();
    }
  }

  private List<CompletableFuture<EntryResult>> submitWrites(int n) {
    List<CompletableFuture<EntryResult>> answers = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      answers.add(m.submit(write(10 + i, put(key("k" + i), "v" + i, i, "ws"))));
    }
    return answers;
  }

  private static void awaitAnswered(List<CompletableFuture<EntryResult>> answers) {
    await().atMost(PROMPTLY).until(() -> answers.stream().allMatch(CompletableFuture::isDone));
    assertThat(answers).allSatisfy(a ->
        assertThat(a.join().getWrite().getResults(0).getOutcome()).isEqualTo(Outcome.APPLIED));
  }

  private static Message get(String id) {
    return StateMachineMessages.toMessage(Query.newBuilder().setGet(Get.newBuilder().setKey(key(id))).build());
  }

  @Test
  void writesAreAnsweredBeforeTheirCommitAndAReaderWaitingForThemCommitsAtOnce() throws Exception {
    m = open();
    long started = System.nanoTime();
    List<CompletableFuture<EntryResult>> answers = submitWrites(20);
    awaitAnswered(answers);

    if (System.nanoTime() - started < DELAY.toNanos() / 2) { // otherwise the delay may have run out
      assertThat(m.sm.appliedIndex()).as("answered, not yet visible").isEqualTo(-1);
      assertThat(m.sm.queryLocal(Query.newBuilder().setGet(Get.newBuilder().setKey(key("k20"))).build())
          .getGet().hasObject()).isFalse();
      assertThat(commits).hasValue(0);
    }

    long asked = System.nanoTime();
    QueryResult read = StateMachineMessages.queryResult(m.sm.queryStale(get("k20"), 20).get(5, TimeUnit.SECONDS));
    assertThat(Duration.ofNanos(System.nanoTime() - asked)).as("the reader did not wait out the delay")
        .isLessThan(PROMPTLY);
    assertThat(read.getGet().getObject().getPayload().toStringUtf8()).isEqualTo("v20");
    assertThat(m.sm.appliedIndex()).isEqualTo(20);
    assertThat(commits.get()).as("twenty entries, few commits").isBetween(1, 3);
  }

  @Test
  void withoutReadersTheWindowCommitsAfterTheDelayAndListenersHearInOrder() {
    m = open();
    List<Long> heard = new CopyOnWriteArrayList<>();
    m.sm.addApplyListener((revision, changes) -> heard.add(revision));

    awaitAnswered(submitWrites(5));

    await().atMost(Duration.ofSeconds(5)).until(() -> m.sm.appliedIndex() == 5);
    assertThat(heard).containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(m.sm.getLastAppliedTermIndex().getIndex()).isEqualTo(5);
  }

  @Test
  void aSnapshotCommitsTheOpenWindowFirstAndIsNamedForIt() throws Exception {
    m = open();
    awaitAnswered(submitWrites(7));

    long asked = System.nanoTime();
    assertThat(m.sm.takeSnapshot()).as("the snapshot covers every answered write").isEqualTo(7);
    assertThat(Duration.ofNanos(System.nanoTime() - asked)).isLessThan(PROMPTLY);

    // A replica restored from that snapshot alone holds all seven.
    Path other = dir.resolve("restored");
    SnapshotTest.shipSnapshot(m, new DirRaftStorage(other).smDir());
    try (Machine restored = Machine.open(other)) {
      assertThat(restored.sm.appliedIndex()).isEqualTo(7);
      assertThat(restored.sm.dump()).hasSize(7);
    }
  }

  @Test
  void aPauseCommitsTheOpenWindowFirstAndARestartKeepsEverything() throws Exception {
    m = open();
    awaitAnswered(submitWrites(6));

    long asked = System.nanoTime();
    m.sm.pause();
    assertThat(Duration.ofNanos(System.nanoTime() - asked)).isLessThan(PROMPTLY);
    m.sm.reinitialize();
    assertThat(m.sm.appliedIndex()).isEqualTo(6);

    m = m.restart();
    assertThat(m.sm.dump()).hasSize(6);
    assertThat(m.sm.appliedIndex()).isEqualTo(6);
  }

  @Test
  void closeCommitsWhatWasAnswered() {
    m = open();
    awaitAnswered(submitWrites(4));

    m = m.restart();

    assertThat(m.sm.appliedIndex()).isEqualTo(4);
    assertThat(m.sm.dump()).hasSize(4);
  }

  @Test
  void entriesAppliedOnTheCallingThreadKeepTheirWindowFromTheIdleApplyThread() {
    // Each call nudges the idle apply thread; with no delay, a thread that took any open window for its
    // own would commit this one under the caller's feet.
    m = Machine.open(dir, Machine.settings().toBuilder().commitDelay(Duration.ZERO).build());
    for (int i = 1; i <= 300; i++) {
      assertThat(m.apply(write(10 + i, put(key("k" + (i % 17)), "v" + i, i, "ws"))).getWrite().getResults(0)
          .getOutcome()).isEqualTo(Outcome.APPLIED);
    }
    assertThat(m.sm.appliedIndex()).isEqualTo(300);
    assertThat(m.sm.dump()).hasSize(17);
  }

  /** Xodus, counting the commits of the apply thread's long transactions. */
  private record CountingEngine(AtomicInteger commits) implements StoreEngine {
    @Override
    public ObjectStore open(Path dir) throws IOException {
      ObjectStore real = XodusObjectStore.ENGINE.open(dir);
      return new ObjectStore() {
        @Override
        public <T> T read(Function<? super StoreReader, T> work) {
          return real.read(work);
        }

        @Override
        public <T> T write(Function<? super StoreWriter, T> work) {
          return real.write(work);
        }

        @Override
        public WriteSession beginWrite() {
          WriteSession session = real.beginWrite();
          return new WriteSession() {
            @Override
            public StoreWriter writer() {
              return session.writer();
            }

            @Override
            public void commit() {
              session.commit();
              commits.incrementAndGet();
            }

            @Override
            public void abort() {
              session.abort();
            }
          };
        }

        @Override
        public void sync() {
          real.sync();
        }

        @Override
        public void backupTo(Path file) throws IOException {
          real.backupTo(file);
        }

        @Override
        public void close() {
          real.close();
        }
      };
    }

    @Override
    public void restore(Path backupFile, Path dir) throws IOException {
      XodusObjectStore.ENGINE.restore(backupFile, dir);
    }
  }
}
