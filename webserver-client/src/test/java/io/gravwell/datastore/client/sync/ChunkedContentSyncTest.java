package io.gravwell.datastore.client.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.gravwell.datastore.client.InProcessRemote;
import io.gravwell.datastore.client.TestClock;
import io.gravwell.datastore.client.WebserverSync;
import io.gravwell.datastore.client.content.ContentManifest;
import io.gravwell.datastore.client.content.ContentStore;
import io.gravwell.datastore.client.store.XodusLocalStore;
import io.gravwell.datastore.protocol.v1.Batch;
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
import java.util.concurrent.CopyOnWriteArrayList;
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
  static final class RecordingRemote extends InProcessRemote {
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

  private ContentManifest upload(byte[] data) throws IOException {
    ContentManifest m = a.content().write("r1", new ByteArrayInputStream(data), Long.MAX_VALUE, null);
    a.put("resource", "r1", ByteString.copyFromUtf8(m.version()), null);
    return m;
  }

  private static byte[] read(WebserverSync w, ContentManifest m) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    w.content().checkComplete("r1", m);
    w.content().transferTo("r1", m, out);
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
