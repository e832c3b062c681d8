package io.gravwell.datastore.client.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.gravwell.datastore.client.InProcessRemote;
import io.gravwell.datastore.client.TestClock;
import io.gravwell.datastore.client.WebserverSync;
import io.gravwell.datastore.client.content.ContentManifest;
import io.gravwell.datastore.client.content.ContentStore;
import io.gravwell.datastore.client.store.XodusLocalStore;
import io.gravwell.datastore.protocol.client.DatastoreException;
import io.gravwell.datastore.protocol.v1.Batch;
import io.gravwell.datastore.protocol.v1.ErrorCode;
import io.gravwell.datastore.protocol.v1.Mutation;
import io.gravwell.datastore.protocol.v1.Response;
import io.gravwell.datastore.statemachine.InProcessReplica;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Content chunks through the sync agent, sockets-free: batches stay below the entry limit the cluster
 * announced, new chunks leave before the metadata that names them, old chunks' deletes after it, and a
 * second webserver assembles the same bytes.
 */
class ChunkedContentSyncTest {
  private static final int ENTRY_LIMIT = 300 * 1024;

  /** Records every pushed batch and announces a small entry limit, as a node's Hello would. */
  static class RecordingRemote extends InProcessRemote {
    final List<Batch> writes = new CopyOnWriteArrayList<>();

    RecordingRemote(InProcessReplica replica, TestClock clock) {
      super(replica, clock);
    }

    @Override
    public Response write(Batch batch) {
      writes.add(batch);
      return super.write(batch);
    }

    @Override
    public int maxEntryBytes() {
      return ENTRY_LIMIT;
    }
  }

  @TempDir Path dir;
  TestClock clock = new TestClock(1_000_000);
  InProcessReplica replica;
  List<AutoCloseable> open = new ArrayList<>();
  RecordingRemote remoteA;
  WebserverSync a;
  WebserverSync b;

  @BeforeEach
  void setUp() throws IOException {
    replica = InProcessReplica.create(dir.resolve("cluster"), "cluster-1");
    remoteA = new RecordingRemote(replica, clock);
    a = webserver("ws-a", remoteA);
    b = webserver("ws-b", new RecordingRemote(replica, clock));
  }

  private WebserverSync webserver(String origin, InProcessRemote remote) throws IOException {
    XodusLocalStore store = XodusLocalStore.open(dir.resolve(origin));
    WebserverSync sync = new WebserverSync(SyncSettings.of("d", origin), remote, store, clock, new Random(1), null);
    open.add(store);
    open.add(sync);
    return sync;
  }

  @AfterEach
  void tearDown() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
    replica.close();
  }

  @Test
  void chunksGoFirstBatchesStayUnderTheEntryLimitAndTheOtherSideAssemblesTheSameBytes() throws IOException {
    ContentManifest old = upload(bytes(400 * 1024, 1));
    a.agent().syncOnce();
    b.agent().syncOnce();
    assertThat(read(b, old)).isEqualTo(bytes(400 * 1024, 1));

    byte[] data = bytes(1024 * 1024 + 17, 2);
    ContentManifest fresh = upload(data);
    a.content().deleteVersion("r1", old);
    remoteA.writes.clear();
    clock.advance(Duration.ofMillis(5));
    a.agent().syncOnce();

    assertThat(fresh.chunkBytes()).as("half the announced entry limit").isEqualTo(ENTRY_LIMIT / 2);
    assertThat(remoteA.writes).allSatisfy(batch -> assertThat(batch.getSerializedSize()).isLessThan(ENTRY_LIMIT));
    List<String> order = remoteA.writes.stream().flatMap(batch -> batch.getMutationsList().stream())
        .map(ChunkedContentSyncTest::describe).distinct().toList();
    assertThat(order).as("new chunks, then the metadata naming them, then the old chunks' deletes")
        .containsExactly("put resource_chunk", "put resource", "delete resource_chunk");

    b.agent().syncOnce();
    assertThat(read(b, fresh)).isEqualTo(data);
    assertThat(b.get("resource", "r1").orElseThrow().getPayload().toStringUtf8()).isEqualTo(fresh.version());
    assertThat(b.list(ContentStore.CHUNK_KIND)).hasSize(fresh.chunkCount());
  }

  /**
   * Sends writes from another thread, but answers none before {@code together} writes are in flight (or
   * 5 s passed): with one write at a time the first answer would wait for nothing and the test would see
   * fewer in flight. The {@code failing}-th chunk write fails as if no node answered.
   */
  static final class PipelineRemote extends RecordingRemote {
    final CountDownLatch together;
    final int failing;
    final AtomicInteger chunkWrites = new AtomicInteger();
    /** Whether, when the first write was answered, {@code together} writes had been sent. */
    final AtomicReference<Boolean> firstAnswerHadCompany = new AtomicReference<>();
    // One thread: the in-process replica is written one batch at a time, as a leader would append them.
    final ExecutorService senders = Executors.newSingleThreadExecutor();

    PipelineRemote(InProcessReplica replica, TestClock clock, int together, int failing) {
      super(replica, clock);
      this.together = new CountDownLatch(together);
      this.failing = failing;
    }

    @Override
    public CompletableFuture<Response> writeAsync(Batch batch) {
      boolean chunks = batch.getMutationsList().stream().allMatch(m -> m.hasPut()
          && m.getPut().getObject().getKey().getKind().equals(ContentStore.CHUNK_KIND));
      int n = chunks ? chunkWrites.incrementAndGet() : 0;
      together.countDown();
      return CompletableFuture.supplyAsync(() -> {
        try {
          boolean allSent = together.await(5, TimeUnit.SECONDS);
          firstAnswerHadCompany.compareAndSet(null, allSent);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        if (n == failing) {
          throw new DatastoreException(ErrorCode.UNAVAILABLE, "no datastore node answered (test)");
        }
        return write(batch);
      }, senders);
    }
  }

  @Test
  void aPagesChunksAreInFlightTogetherAndOneThatFailsIsTheOnlyOneSentAgain() throws Exception {
    PipelineRemote pipelined = new PipelineRemote(replica, clock, 3, 2);
    WebserverSync c = webserver("ws-c", pipelined);
    open.add(pipelined.senders::shutdownNow);
    assertThat(c.agent().syncOnce()).isEqualTo(SyncOutcome.FIRST_SYNC);
    // 3 whole chunks of half the entry limit: one page, one chunk per batch (a short last chunk would share)
    byte[] data = bytes(3 * (ENTRY_LIMIT / 2), 3);
    ContentManifest m = c.content().write("r2", new ByteArrayInputStream(data), Long.MAX_VALUE, null);
    c.put("resource", "r2", ByteString.copyFromUtf8(m.version()), null);

    assertThat(c.agent().syncOnce()).isEqualTo(SyncOutcome.UNAVAILABLE);
    assertThat(pipelined.firstAnswerHadCompany.get()).as("3 chunk writes sent before any was answered").isTrue();
    assertThat(m.chunkCount()).isEqualTo(3);
    assertThat(pipelined.writes).as("every chunk but the failed one applied; no metadata yet")
        .hasSize(2)
        .allSatisfy(batch -> assertThat(describe(batch.getMutations(0))).isEqualTo("put resource_chunk"));

    pipelined.writes.clear();
    assertThat(c.agent().syncOnce()).isEqualTo(SyncOutcome.SYNCED);
    assertThat(pipelined.writes.stream().flatMap(batch -> batch.getMutationsList().stream())
        .map(ChunkedContentSyncTest::describe).toList())
        .as("only the failed chunk again, then the metadata")
        .containsExactly("put resource_chunk", "put resource");

    b.agent().syncOnce();
    assertThat(read(b, "r2", m)).isEqualTo(data);
  }

  private ContentManifest upload(byte[] data) throws IOException {
    ContentManifest m = a.content().write("r1", new ByteArrayInputStream(data), Long.MAX_VALUE, null);
    a.put("resource", "r1", ByteString.copyFromUtf8(m.version()), null);
    return m;
  }

  private static byte[] read(WebserverSync w, ContentManifest m) throws IOException {
    return read(w, "r1", m);
  }

  private static byte[] read(WebserverSync w, String owner, ContentManifest m) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    w.content().checkComplete(owner, m);
    w.content().transferTo(owner, m, out);
    return out.toByteArray();
  }

  private static String describe(Mutation m) {
    return m.hasPut() ? "put " + m.getPut().getObject().getKey().getKind() : "delete " + m.getDelete().getKey().getKind();
  }

  private static byte[] bytes(int n, int seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }
}
