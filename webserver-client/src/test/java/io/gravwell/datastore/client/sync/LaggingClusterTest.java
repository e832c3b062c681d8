package io.gravwell.datastore.client.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.gravwell.datastore.client.InProcessRemote;
import io.gravwell.datastore.client.TestClock;
import io.gravwell.datastore.client.TestWebserver;
import io.gravwell.datastore.client.WebserverSync;
import io.gravwell.datastore.client.store.XodusLocalStore;
import io.gravwell.datastore.protocol.v1.Batch;
import io.gravwell.datastore.protocol.v1.Error;
import io.gravwell.datastore.protocol.v1.ErrorCode;
import io.gravwell.datastore.protocol.v1.Identity;
import io.gravwell.datastore.protocol.v1.Response;
import io.gravwell.datastore.statemachine.InProcessReplica;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A ping answered from behind our revision in the same history: if a read that waits for our revision
 * is answered, the cluster was catching up (as after a leader change) and nothing special happens; if not,
 * it rolled back and is re-seeded.
 */
class LaggingClusterTest {

  /**
   * Pings are answered `lag` revisions behind; with `stuck` the cluster really is there (rolled back), so
   * a read waiting for a revision above it is refused.
   */
  static final class LaggingRemote extends InProcessRemote {
    volatile long lag;
    volatile boolean stuck;
    // A write to the rolled-back cluster takes it past its old revision: from then on it is simply there.
    volatile boolean wroteSince;

    @Override
    public Response write(Batch batch) {
      wroteSince = true;
      lag = 0;
      return super.write(batch);
    }

    LaggingRemote(InProcessReplica replica, TestClock clock) {
      super(replica, clock);
    }

    @Override
    public Response ping(Identity lastSynced) {
      Response r = super.ping(lastSynced);
      Identity id = r.getIdentity();
      return r.toBuilder().setIdentity(id.toBuilder().setRevision(id.getRevision() - lag)).build();
    }

    @Override
    public Response changesSince(long afterRevision, int limit, long minRevision) {
      long answersAt = super.ping(null).getIdentity().getRevision() - lag;
      if (stuck && !wroteSince && minRevision > answersAt) {
        return Response.newBuilder().setError(Error.newBuilder().setCode(ErrorCode.REVISION_NOT_REACHED)).build();
      }
      return super.changesSince(afterRevision, limit, minRevision);
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
  void aPingFromBehindIsNoRollbackWhenTheClusterReachesOurRevision() {
    remote.lag = 3;
    assertThat(web.agent().syncOnce()).isEqualTo(SyncOutcome.IDLE);
    assertThat(web.agent().counters().reseeds()).isZero();
    assertThat(web.isDatastoreAvailable()).isTrue();
  }

  @Test
  void aClusterThatStaysBehindIsARollbackAndGetsReseededWithNothingDeleted() {
    remote.lag = 1;
    remote.stuck = true;
    remote.wroteSince = false;
    assertThat(web.agent().syncOnce()).isEqualTo(SyncOutcome.RESEEDED);
    assertThat(web.agent().counters().reseeds()).isEqualTo(1);
    assertThat(web.list("dashboard")).hasSize(5);
  }
}
