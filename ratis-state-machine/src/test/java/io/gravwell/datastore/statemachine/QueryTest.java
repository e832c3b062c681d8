package io.gravwell.datastore.statemachine;

import static io.gravwell.datastore.statemachine.Entries.delete;
import static io.gravwell.datastore.statemachine.Entries.key;
import static io.gravwell.datastore.statemachine.Entries.put;
import static io.gravwell.datastore.statemachine.Entries.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.gravwell.datastore.protocol.v1.ErrorCode;
import io.gravwell.datastore.protocol.v1.Get;
import io.gravwell.datastore.protocol.v1.List;
import io.gravwell.datastore.protocol.v1.ListResult;
import io.gravwell.datastore.protocol.v1.StoredObject;
import io.gravwell.datastore.statemachine.v1.Query;
import io.gravwell.datastore.statemachine.v1.QueryResult;
import io.gravwell.datastore.statemachine.v1.Stats;
import java.util.ArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

class QueryTest extends MachineTest {


  QueryResult list(String domain, String kind, String token, int limit, boolean tombstones) {
    return m.query(Query.newBuilder().setList(List.newBuilder()
        .setDomain(domain).setKind(kind).setPageToken(token).setLimit(limit).setIncludeTombstones(tombstones))
        .build());
  }

  java.util.List<String> listAll(String domain, String kind, int limit, boolean tombstones) {
    java.util.List<String> ids = new ArrayList<>();
    String token = "";
    do {
      ListResult page = list(domain, kind, token, limit, tombstones).getList();
      assertThat(page.getObjectsCount()).isLessThanOrEqualTo(limit == 0 ? 100 : limit);
      page.getObjectsList().forEach(o -> ids.add(o.getKey().getKind() + "/" + o.getKey().getId()));
      token = page.getNextPageToken();
    } while (!token.isEmpty());
    return ids;
  }

  @Test
  void listPagesInIdOrderWithinDomainAndKind() {
    for (String id : new String[] {"b", "a", "c", "a\u0000x", "ab", "d"}) {
      m.apply(write(1, put(key("d", "k", id), "x", 1, "ws")));
    }
    m.apply(write(1, put(key("d", "kz", "a"), "x", 1, "ws")));   // a kind that extends "k"
    m.apply(write(1, put(key("d", "j", "a"), "x", 1, "ws")));
    m.apply(write(1, put(key("dd", "k", "a"), "x", 1, "ws")));   // a domain that extends "d"
    m.apply(write(2, delete(key("d", "k", "c"), 5, "ws")));

    assertThat(listAll("d", "k", 2, false)).containsExactly("k/a", "k/a\u0000x", "k/ab", "k/b", "k/d");
    assertThat(listAll("d", "k", 2, true)).containsExactly("k/a", "k/a\u0000x", "k/ab", "k/b", "k/c", "k/d");
    assertThat(listAll("d", "", 3, false))
        .containsExactly("j/a", "k/a", "k/a\u0000x", "k/ab", "k/b", "k/d", "kz/a");
    assertThat(listAll("dd", "", 0, false)).containsExactly("k/a");
  }

  @Test
  void lastPageHasNoToken() {
    m.apply(write(1, put(key("a"), "x", 1, "ws"), put(key("b"), "x", 1, "ws")));

    assertThat(list("d", "dashboard", "", 2, false).getList().getNextPageToken()).isEmpty();
    assertThat(list("d", "dashboard", "", 1, false).getList().getNextPageToken()).isNotEmpty();
  }

  @Test
  void badListRequestsAreRejected() {
    assertThat(list("", "", "", 0, false).getError().getCode()).isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(list("d", "", "not a token!", 0, false).getError().getCode()).isEqualTo(ErrorCode.BAD_REQUEST);
  }

  @Test
  void changesComeInRevisionOrderAndNeverSplitARevision() {
    m.apply(write(1, put(key("a"), "x", 1, "ws")));                              // 1
    m.apply(write(1, put(key("b"), "x", 1, "ws"), put(key("c"), "x", 1, "ws"))); // 2
    m.apply(write(1, put(key("a"), "y", 2, "ws")));                              // 3: a moves to rev 3
    m.apply(write(1, delete(key("b"), 2, "ws")));                                // 4

    assertThat(m.changes(0, 0).getChanges().getChangesList())
        .extracting(o -> o.getKey().getId() + "@" + o.getModRev())
        .containsExactly("c@2", "a@3", "b@4");
    QueryResult firstPage = m.changes(0, 1);
    assertThat(firstPage.getChanges().getChangesList()).hasSize(1);
    assertThat(firstPage.getChanges().getMore()).isTrue();
    assertThat(m.changes(3, 10).getChanges().getMore()).isFalse();

    m.apply(write(1, put(key("x"), "x", 1, "ws"), put(key("y"), "x", 1, "ws"), put(key("z"), "x", 1, "ws")));
    QueryResult page = m.changes(4, 2);
    assertThat(page.getChanges().getChangesList()).extracting(StoredObject::getModRev)
        .as("all of revision 5 although the limit is 2").containsExactly(5L, 5L, 5L);
    assertThat(page.getChanges().getMore()).isFalse();
    assertThat(page.getIdentity().getRevision()).isEqualTo(5);
  }

  @Test
  void pagesOfBigObjectsAreBoundedInBytesNotOnlyInCount() {
    String big = "x".repeat(700 * 1024);
    for (int i = 0; i < 7; i++) {
      m.apply(write(1, put(key("c" + i), big, 1, "ws")));
    }
    m.apply(write(1, put(key("c7"), big, 1, "ws"), put(key("c8"), big, 1, "ws"),
        put(key("c9"), big, 1, "ws"), put(key("c10"), big, 1, "ws")));

    java.util.List<String> changed = new ArrayList<>();
    long after = 0;
    boolean more = true;
    while (more) {
      QueryResult page = m.changes(after, 1000);
      java.util.List<StoredObject> objects = page.getChanges().getChangesList();
      long lastRev = objects.get(objects.size() - 1).getModRev();
      long beforeLastRevision = objects.stream().filter(o -> o.getModRev() != lastRev)
          .mapToLong(StoredObject::getSerializedSize).sum();
      assertThat(beforeLastRevision).as("the bound is passed only to finish the revision a page is in")
          .isLessThanOrEqualTo(QueryHandler.MAX_PAGE_BYTES);
      assertThat(objects.size()).isLessThanOrEqualTo(5);
      objects.forEach(o -> changed.add(o.getKey().getId()));
      after = objects.get(objects.size() - 1).getModRev();
      more = page.getChanges().getMore();
    }
    assertThat(changed).containsExactlyInAnyOrder("c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "c9", "c10");

    java.util.List<String> listed = new ArrayList<>();
    String token = "";
    do {
      ListResult page = list("d", "dashboard", token, 1000, false).getList();
      assertThat(page.getObjectsCount()).isBetween(1, 2);
      page.getObjectsList().forEach(o -> listed.add(o.getKey().getId()));
      token = page.getNextPageToken();
    } while (!token.isEmpty());
    assertThat(listed).hasSize(11);
  }

  @Test
  void statsCountLiveObjectsAndTombstones() {
    m.apply(write(1, put(key("a"), "x", 1, "ws"), put(key("b"), "x", 1, "ws")));
    m.apply(write(1, delete(key("a"), 2, "ws"), delete(key("zz"), 2, "ws")));

    QueryResult r = m.query(Query.newBuilder().setStats(Stats.getDefaultInstance()).build());

    assertThat(r.getStats().getObjectCount()).isEqualTo(1);
    assertThat(r.getStats().getTombstoneCount()).isEqualTo(2);
    assertThat(r.getIdentity().getRevision()).isEqualTo(2);
  }

  /**
   * Only Stats reports the last snapshot index, and only Stats may ask for it: until a node's first
   * snapshot, finding "none" lists the snapshot directory, and every get once did that.
   */
  @Test
  void onlyStatsAsksForTheSnapshotIndex() throws Exception {
    QueryHandler handler = new QueryHandler(Machine.settings());
    AtomicInteger asked = new AtomicInteger();
    LongSupplier snapshotIndex = () -> {
      asked.incrementAndGet();
      return 42;
    };
    Query get = Query.newBuilder().setGet(Get.newBuilder().setKey(key("a"))).build();
    Query list = Query.newBuilder().setList(List.newBuilder().setDomain("d")).build();
    Query stats = Query.newBuilder().setStats(Stats.getDefaultInstance()).build();
    try (XodusObjectStore store = XodusObjectStore.open(dir.resolve("handler-store"))) {
      store.read(r -> {
        handler.answer(r, get, 0, snapshotIndex);
        handler.answer(r, list, 0, snapshotIndex);
        return null;
      });
      assertThat(asked).hasValue(0);
      QueryResult r = store.read(reader -> handler.answer(reader, stats, 0, snapshotIndex));
      assertThat(r.getStats().getLastSnapshotIndex()).isEqualTo(42);
      assertThat(asked).hasValue(1);
    }
  }

  @Test
  void getRejectsIncompleteKeys() {
    assertThat(m.get(key("d", "", "x"), false).getError().getCode()).isEqualTo(ErrorCode.BAD_REQUEST);
  }
}
