package io.gravwell.datastore.client.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.gravwell.datastore.client.InProcessRemote;
import io.gravwell.datastore.client.TestClock;
import io.gravwell.datastore.client.TestWebserver;
import io.gravwell.datastore.client.WebserverSync;
import io.gravwell.datastore.client.store.XodusLocalStore;
import io.gravwell.datastore.protocol.v1.Identity;
import io.gravwell.datastore.protocol.v1.Response;
import io.gravwell.datastore.statemachine.InProcessReplica;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster answering from behind our revision in the same history: briefly, after a leader change, it
 * is catching up and nothing happens; only if it stays behind is it a rollback, answered by a re-seed.
 */
class LaggingClusterTest {

  /** Every node answers `lag` revisions behind what it has really applied. */
  static final class LaggingRemote extends InProcessRemote {
    volatile long lag;

    LaggingRemote(InProcessReplica replica, TestClock clock) {
      super(replica, clock);
    }

    @Override
    public Response ping(Identity lastSynced) {
      Response r = super.ping(lastSynced);
      Identity id = r.getIdentity();
      return r.toBuilder().setIdentity(id.toBuilder().setRevision(id.getRevision() - lag)).build();
    }
  }

  @TempDir Path dir;
  final TestClock clock = new TestClock(1_000_000);
  InProcessReplica replica;
  LaggingRemote remote;
  XodusLocalStore store;
  WebserverSync web;

  @BeforeEach
  void setUp() throws IOException {
    replica = InProcessReplica.create(dir.resolve("cluster"), "cluster-1");
    remote = new LaggingRemote(replica, clock);
    store = XodusLocalStore.open(dir.resolve("web"));
    web = new WebserverSync(SyncSettings.of(TestWebserver.DOMAIN, "ws-a"), remote, store, clock, new Random(1),
        SyncListener.NONE);
    assertThat(web.agent().syncOnce()).isEqualTo(SyncOutcome.FIRST_SYNC);
    for (int i = 0; i < 5; i++) {
      web.put("dashboard", "d" + i, ByteString.copyFromUtf8("v" + i), null);
    }
    assertThat(web.agent().syncOnce()).isEqualTo(SyncOutcome.SYNCED);
    assertThat(web.agent().syncOnce()).isEqualTo(SyncOutcome.IDLE);
  }

  @AfterEach
  void tearDown() {
    web.close();
    store.close();
    replica.close();
  }

  @Test
  void aClusterThatCatchesUpWithinTheGraceCausesNoReseed() {
    remote.lag = 3;
    assertThat(web.agent().syncOnce()).isEqualTo(SyncOutcome.ABORTED);
    clock.advance(BehindWatch.DEFAULT_GRACE.minusSeconds(1));
    assertThat(web.agent().syncOnce()).isEqualTo(SyncOutcome.ABORTED);

    remote.lag = 0;
    assertThat(web.agent().syncOnce()).isEqualTo(SyncOutcome.IDLE);
    assertThat(web.agent().counters().reseeds()).isZero();

    // Behind again later: the wait starts over, it does not add up with the earlier one.
    remote.lag = 1;
    clock.advance(Duration.ofSeconds(5));
    assertThat(web.agent().syncOnce()).isEqualTo(SyncOutcome.ABORTED);
    clock.advance(BehindWatch.DEFAULT_GRACE.minusSeconds(1));
    assertThat(web.agent().syncOnce()).isEqualTo(SyncOutcome.ABORTED);
    assertThat(web.agent().counters().reseeds()).isZero();
    assertThat(web.isDatastoreAvailable()).isTrue();
  }

  @Test
  void aClusterThatStaysBehindIsARollbackAndGetsReseededWithNothingDeleted() {
    remote.lag = 3;
    assertThat(web.agent().syncOnce()).isEqualTo(SyncOutcome.ABORTED);
    clock.advance(BehindWatch.DEFAULT_GRACE);
    assertThat(web.agent().syncOnce()).isEqualTo(SyncOutcome.RESEEDED);
    assertThat(web.agent().counters().reseeds()).isEqualTo(1);
    assertThat(web.list("dashboard")).hasSize(5);
  }
}
