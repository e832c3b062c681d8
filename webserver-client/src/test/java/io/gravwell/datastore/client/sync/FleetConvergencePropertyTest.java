package io.gravwell.datastore.client.sync;

import static io.gravwell.datastore.client.TestWebserver.contentsOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.gravwell.datastore.client.DatastoreUnavailableException;
import io.gravwell.datastore.client.TestClock;
import io.gravwell.datastore.client.TestWebserver;
import io.gravwell.datastore.protocol.v1.StoredObject;
import io.gravwell.datastore.statemachine.InProcessReplica;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple.Tuple2;

/**
 * Two webservers doing random puts and deletes, syncing at random, going offline at random, while the
 * datastore is compacted, wiped (a new empty cluster) or rolled back to an older backup. Once everyone
 * is back and has synced a few times:
 * <ul>
 *   <li>both webservers and the datastore hold exactly the same objects (convergence);</li>
 *   <li>every object whose latest write anywhere was a put is there with that put's payload: a disaster
 *       on the datastore side may bring back something deleted, but never loses what nobody deleted.</li>
 * </ul>
 */
class FleetConvergencePropertyTest {

  sealed interface Step permits Put, Delete, Sync, Toggle, Wipe, Compact, Backup, Restore {}

  record Put(int ws, int key) implements Step {}

  record Delete(int ws, int key) implements Step {}

  record Sync(int ws) implements Step {}

  record Toggle(int ws) implements Step {}

  record Wipe() implements Step {}

  record Compact() implements Step {}

  record Backup() implements Step {}

  record Restore() implements Step {}

  /** The latest write of one key anywhere, by the conflict order (updated_ms, origin). */
  record Write(long updatedMs, String origin, String payload) {
    boolean laterThan(Write other) {
      return other == null || updatedMs > other.updatedMs
          || (updatedMs == other.updatedMs && origin.compareTo(other.origin) > 0);
    }
  }

  @Provide
  Arbitrary<List<Step>> scripts() {
    Arbitrary<Integer> ws = Arbitraries.integers().between(0, 1);
    Arbitrary<Integer> key = Arbitraries.integers().between(0, 5);
    Arbitrary<Step> step = Arbitraries.frequencyOf(
        Tuple(6, Combinators.combine(ws, key).as(Put::new)),
        Tuple(3, Combinators.combine(ws, key).as(Delete::new)),
        Tuple(6, ws.map(Sync::new)),
        Tuple(2, ws.map(Toggle::new)),
        Tuple(1, Arbitraries.just(new Wipe())),
        Tuple(1, Arbitraries.just(new Compact())),
        Tuple(1, Arbitraries.just(new Backup())),
        Tuple(1, Arbitraries.just(new Restore())));
    return step.list().ofMinSize(5).ofMaxSize(40);
  }

  private static Tuple2<Integer, Arbitrary<? extends Step>> Tuple(int weight, Arbitrary<? extends Step> a) {
    return net.jqwik.api.Tuple.of(weight, a);
  }

  @Property(tries = 300)
  void webserversConvergeAndNeverLoseWhatNobodyDeleted(@ForAll("scripts") List<Step> script) throws IOException {
    Path root = Files.createTempDirectory("fleet");
    TestClock clock = new TestClock(1_000_000);
    InProcessReplica replica = InProcessReplica.create(root.resolve("cluster"), "cluster-0");
    TestWebserver[] fleet = {
        new TestWebserver("ws-a", root.resolve("a"), replica, clock),
        new TestWebserver("ws-b", root.resolve("b"), replica, clock)};
    Map<String, Write> latest = new HashMap<>();
    InProcessReplica.Backup backup = null;
    int clusters = 0;
    try {
      for (Step s : script) {
        clock.tick();
        if (s instanceof Put p) {
          StoredObject o = fleet[p.ws()].put("k" + p.key(), "p" + clock.millis() + "@" + p.ws());
          Write w = new Write(o.getUpdatedMs(), o.getOrigin(), o.getPayload().toStringUtf8());
          latest.merge("dashboard/k" + p.key(), w, (old, neu) -> neu.laterThan(old) ? neu : old);
        } else if (s instanceof Delete d) {
          TestWebserver ws = fleet[d.ws()];
          try {
            if (ws.delete("k" + d.key())) {
              StoredObject t = ws.store.get(ws.sync.key("dashboard", "k" + d.key())).orElseThrow().object();
              Write w = new Write(t.getUpdatedMs(), t.getOrigin(), null);
              latest.merge("dashboard/k" + d.key(), w, (old, neu) -> neu.laterThan(old) ? neu : old);
            }
          } catch (DatastoreUnavailableException refused) {
            // refused while unreachable: nothing happened
          }
        } else if (s instanceof Sync y) {
          fleet[y.ws()].syncOnce();
        } else if (s instanceof Toggle t) {
          fleet[t.ws()].remote.setReachable(!fleet[t.ws()].remote.isReachable());
        } else if (s instanceof Wipe) {
          replica.wipe();
          replica.initIdentity("cluster-" + (++clusters), 1);
        } else if (s instanceof Compact) {
          replica.compact(clock.millis(), Duration.ZERO);
        } else if (s instanceof Backup) {
          backup = replica.backup();
        } else if (s instanceof Restore && backup != null) {
          // Any backup, even one of the cluster before a wipe, and the same one again and again: every
          // restore commits an incarnation of its own, so a webserver that synced after an earlier restore
          // of this backup still tells the histories apart once the revision has climbed back past its own.
          replica.restoreFrom(backup);
        }
      }
      for (TestWebserver ws : fleet) {
        ws.remote.setReachable(true);
      }
      for (int round = 0; round < 4; round++) {
        for (TestWebserver ws : fleet) {
          clock.tick();
          ws.syncOnce();
        }
      }

      Map<String, String> a = fleet[0].contents();
      assertThat(fleet[1].contents()).isEqualTo(a);
      assertThat(contentsOf(replica)).isEqualTo(a);
      latest.forEach((key, w) -> {
        if (w.payload() != null) {
          assertThat(a).as("latest write of %s was a put", key).containsEntry(key, w.payload());
        }
      });
      for (TestWebserver ws : fleet) {
        assertThat(ws.store.dirtyCount()).isZero();
      }
    } finally {
      for (TestWebserver ws : fleet) {
        ws.close();
      }
      replica.close();
      deleteTree(root); // backups are made next to the replica, inside root
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    }
  }
}
