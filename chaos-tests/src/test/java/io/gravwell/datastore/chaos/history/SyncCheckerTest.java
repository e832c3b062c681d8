package io.gravwell.datastore.chaos.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gravwell.datastore.chaos.history.SyncObservations.Change;
import io.gravwell.datastore.chaos.history.SyncObservations.Reseed;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SyncCheckerTest {

  private static final String FIRST = "c1/1";
  private static final String WIPED = "c2/1";

  /** Three webservers; a created d1 and d2 via a, b updated d1, c deleted d2 and everyone heard of it. */
  private final Map<String, Map<String, String>> contents = new HashMap<>(Map.of(
      "a", Map.of("dashboard/1", "h2"),
      "b", Map.of("dashboard/1", "h2"),
      "c", Map.of("dashboard/1", "h2")));
  private final List<Change> changes = new ArrayList<>(List.of(
      new Change(1, "a", OpType.CREATE, "dashboard/1", "h1", Outcome.OK),
      new Change(2, "a", OpType.CREATE, "dashboard/2", "h9", Outcome.OK),
      new Change(3, "b", OpType.UPDATE, "dashboard/1", "h2", Outcome.OK),
      new Change(4, "c", OpType.DELETE, "dashboard/2", null, Outcome.OK)));
  private final Map<String, Set<String>> told = new HashMap<>(Map.of(
      "a", Set.of("dashboard/2"), "b", Set.of("dashboard/2"), "c", Set.of("dashboard/2")));
  private List<String> identities = List.of(FIRST);
  private final List<Reseed> reseeds = new ArrayList<>();
  private final Map<String, String> held = new HashMap<>();

  private SyncResult check() {
    return SyncChecker.check(new SyncObservations(contents, changes, told, identities, reseeds, held));
  }

  @Test
  void convergedWithNothingLost() {
    SyncResult r = check();

    assertThat(r.valid()).as(r.explanation()).isTrue();
    assertThat(r.converged()).isTrue();
    assertThat(r.toCheckResult().verdict()).isEqualTo(Verdict.VALID);
  }

  @Test
  void anUnacknowledgedCreateMayBeMissingEverywhere() {
    changes.add(new Change(5, "a", OpType.CREATE, "dashboard/3", "h3", Outcome.UNKNOWN));

    assertThat(check().valid()).isTrue();
  }

  @Test
  void divergence() {
    contents.put("b", Map.of("dashboard/1", "h1"));
    contents.put("c", Map.of("dashboard/1", "h2", "user/7", "u"));

    SyncResult r = check();

    assertThat(r.valid()).isFalse();
    assertThat(r.converged()).isFalse();
    assertThat(r.divergent()).containsExactly("dashboard/1 {a=h2, b=h1, c=h2}",
        "user/7 {a=(missing), b=(missing), c=u}");
    assertThat(r.explanation()).contains("2 diverged");
  }

  @Test
  void anObjectLostWithoutADelete() {
    contents.replaceAll((w, c) -> Map.of());

    SyncResult r = check();

    assertThat(r.valid()).isFalse();
    assertThat(r.lost()).hasSize(3).first().asString()
        .isEqualTo("a lost dashboard/1 (acknowledged UPDATE via b, never told it was deleted)");
    assertThat(r.toCheckResult().verdict()).isEqualTo(Verdict.INVALID);
  }

  @Test
  void aDeleteNobodyMadeIsALossToo() {
    // the old disaster: an empty datastore made a webserver believe dashboard/1 had been deleted
    contents.replaceAll((w, c) -> Map.of());
    told.replaceAll((w, t) -> Set.of("dashboard/1", "dashboard/2"));
    changes.removeIf(c -> c.kind() == OpType.DELETE);
    changes.add(new Change(4, "c", OpType.DELETE, "dashboard/2", null, Outcome.UNKNOWN));

    SyncResult r = check();

    assertThat(r.lost()).containsExactly("a was told dashboard/1 was deleted, but nobody deleted it",
        "b was told dashboard/1 was deleted, but nobody deleted it",
        "c was told dashboard/1 was deleted, but nobody deleted it");
  }

  @Test
  void reseedsExactlyAtTheIdentityChange() {
    identities = List.of(FIRST, WIPED);
    for (String w : List.of("a", "b", "c")) {
      reseeds.add(new Reseed(10, w, FIRST, WIPED));
      held.put(w, WIPED);
    }

    assertThat(check().valid()).as(check().explanation()).isTrue();
  }

  @Test
  void oneReseedMayCrossTwoChangesAWebserverSleptThrough() {
    identities = List.of(FIRST, WIPED, "c3/1");
    reseeds.add(new Reseed(10, "a", FIRST, WIPED));
    reseeds.add(new Reseed(20, "a", WIPED, "c3/1"));
    reseeds.add(new Reseed(20, "b", FIRST, "c3/1"));
    reseeds.add(new Reseed(20, "c", FIRST, "c3/1"));

    assertThat(check().valid()).as(check().explanation()).isTrue();
  }

  @Test
  void aReseedWithoutAnIdentityChange() {
    reseeds.add(new Reseed(10, "b", FIRST, FIRST));

    SyncResult r = check();

    assertThat(r.valid()).isFalse();
    assertThat(r.identity()).containsExactly("b re-seeded without an identity change (c1/1 -> c1/1 at 10)");
  }

  @Test
  void aReseedIntoAnIdentityTheClusterNeverHad() {
    reseeds.add(new Reseed(10, "b", FIRST, "foreign/1"));

    assertThat(check().identity()).containsExactly(
        "b re-seeded without an identity change (c1/1 -> foreign/1 at 10)");
  }

  @Test
  void anIdentityChangeWithoutAReseed() {
    identities = List.of(FIRST, WIPED);
    reseeds.add(new Reseed(10, "a", FIRST, WIPED));
    reseeds.add(new Reseed(10, "b", FIRST, WIPED));
    held.put("c", WIPED);

    SyncResult r = check();

    assertThat(r.valid()).isFalse();
    assertThat(r.identity()).containsExactly("c adopted c2/1 without re-seeding (last re-seed left it on c1/1)");
  }

  @Test
  void aWebserverThatNeverNoticedTheChange() {
    identities = List.of(FIRST, WIPED);
    reseeds.add(new Reseed(10, "a", FIRST, WIPED));
    reseeds.add(new Reseed(10, "b", FIRST, WIPED));

    assertThat(check().identity()).containsExactly("c never re-seeded into c2/1 (last re-seed left it on c1/1)");
  }

  @Test
  void theStartingIdentityIsRequired() {
    identities = List.of();

    assertThatThrownBy(this::check).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("clusterIdentities");
  }
}
