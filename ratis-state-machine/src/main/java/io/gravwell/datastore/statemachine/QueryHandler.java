package io.gravwell.datastore.statemachine;

import io.gravwell.datastore.protocol.v1.ChangesResult;
import io.gravwell.datastore.protocol.v1.ChangesSince;
import io.gravwell.datastore.protocol.v1.Error;
import io.gravwell.datastore.protocol.v1.ErrorCode;
import io.gravwell.datastore.protocol.v1.Get;
import io.gravwell.datastore.protocol.v1.GetResult;
import io.gravwell.datastore.protocol.v1.List;
import io.gravwell.datastore.protocol.v1.ListResult;
import io.gravwell.datastore.protocol.v1.ObjectKey;
import io.gravwell.datastore.protocol.v1.StoredObject;
import io.gravwell.datastore.statemachine.v1.Query;
import io.gravwell.datastore.statemachine.v1.QueryResult;
import io.gravwell.datastore.statemachine.v1.StatsResult;
import java.util.ArrayList;
import java.util.function.LongSupplier;

/** Answers read queries from one consistent store snapshot. */
final class QueryHandler {

  /**
   * A List or ChangesSince page stops growing before it would pass this many bytes of objects (it always
   * holds at least one object, and a ChangesSince page finishes the revision it is in). Counts alone let
   * a page of content chunks reach hundreds of MiB; clients refuse frames above 4 MiB by default, and a
   * page here stays below 2 MiB plus the rest of one entry (Datastore-Max-Entry-Size, 1 MiB by default).
   */
  static final int MAX_PAGE_BYTES = 2 * 1024 * 1024;

  private final StateMachineSettings settings;

  QueryHandler(StateMachineSettings settings) {
    this.settings = settings;
  }

  /**
   * @param revision the revision the snapshot reflects at least (reported in the identity)
   * @param lastSnapshotIndex for Stats, and asked only for Stats: until a node's first snapshot, Ratis' storage
   *     finds "none" by listing its directory on every call (a third of the query threads' time at C=64 gets,
   *     docs/benchmarks.md, session 9)
   */
  QueryResult answer(StoreReader reader, Query query, long revision, LongSupplier lastSnapshotIndex) {
    StoreMeta meta = reader.meta();
    QueryResult.Builder result = QueryResult.newBuilder()
        .setIdentity(Identities.of(meta, Math.max(revision, meta.lastApplied().index())));
    switch (query.getBodyCase()) {
      case GET -> get(reader, query.getGet(), result);
      case LIST -> list(reader, query.getList(), result);
      case CHANGES -> changes(reader, query.getChanges(), meta, result);
      case STATS -> result.setStats(StatsResult.newBuilder()
          .setObjectCount(reader.objectCount() - reader.tombstoneCount())
          .setTombstoneCount(reader.tombstoneCount())
          .setLastSnapshotIndex(lastSnapshotIndex.getAsLong()));
      case BODY_NOT_SET -> result.setError(error(ErrorCode.BAD_REQUEST, "query has no body"));
    }
    return result.build();
  }

  private void get(StoreReader reader, Get get, QueryResult.Builder result) {
    ObjectKey key = get.getKey();
    if (key.getDomain().isEmpty() || key.getKind().isEmpty() || key.getId().isEmpty()) {
      result.setError(error(ErrorCode.BAD_REQUEST, "get.key needs domain, kind and id"));
      return;
    }
    GetResult.Builder found = GetResult.newBuilder();
    reader.get(key)
        .filter(o -> get.getIncludeTombstone() || !o.getDeleted())
        .ifPresent(o -> found.setFound(true).setObject(o));
    result.setGet(found);
  }

  private void list(StoreReader reader, List list, QueryResult.Builder result) {
    if (list.getDomain().isEmpty()) {
      result.setError(error(ErrorCode.BAD_REQUEST, "list.domain is empty"));
      return;
    }
    ObjectKey after = null;
    if (!list.getPageToken().isEmpty()) {
      try {
        after = PageToken.parse(list.getDomain(), list.getPageToken());
      } catch (IllegalArgumentException e) {
        result.setError(error(ErrorCode.BAD_REQUEST, "list.page_token is not valid"));
        return;
      }
      if (!list.getKind().isEmpty() && !list.getKind().equals(after.getKind())) {
        result.setError(error(ErrorCode.BAD_REQUEST, "list.page_token belongs to another kind"));
        return;
      }
    }
    int limit = settings.pageSize((int) Math.min(Integer.MAX_VALUE, Integer.toUnsignedLong(list.getLimit())));
    ArrayList<StoredObject> page = new ArrayList<>();
    boolean[] more = {false};
    long[] bytes = {0};
    reader.scanObjects(list.getDomain(), list.getKind(), after, o -> {
      if (o.getDeleted() && !list.getIncludeTombstones()) {
        return true;
      }
      bytes[0] += o.getSerializedSize();
      if (page.size() == limit || (!page.isEmpty() && bytes[0] > MAX_PAGE_BYTES)) {
        more[0] = true;
        return false;
      }
      page.add(o);
      return true;
    });
    ListResult.Builder b = ListResult.newBuilder().addAllObjects(page);
    if (more[0]) {
      b.setNextPageToken(PageToken.after(page.get(page.size() - 1).getKey()));
    }
    result.setList(b);
  }

  private void changes(StoreReader reader, ChangesSince changes, StoreMeta meta, QueryResult.Builder result) {
    long after = changes.getAfterRevision();
    if (after < 0) {
      result.setError(error(ErrorCode.BAD_REQUEST, "changes.after_revision is negative"));
      return;
    }
    if (meta.compactRevision() > 0 && after < meta.compactRevision()) {
      result.setError(error(ErrorCode.COMPACTED, "revision " + after + " is older than the compaction point "
          + meta.compactRevision() + "; do a full listing"));
      return;
    }
    int limit = settings.pageSize((int) Math.min(Integer.MAX_VALUE, Integer.toUnsignedLong(changes.getLimit())));
    ChangesResult.Builder b = ChangesResult.newBuilder();
    // A page ends only between revisions: the next request resumes after the last mod_rev returned, so
    // cutting one entry's changes in two would lose the rest of them. A page may thus exceed the limit
    // by the remainder of one batch.
    long[] lastRev = {-1};
    long[] bytes = {0};
    reader.scanChanges(after, o -> {
      bytes[0] += o.getSerializedSize();
      boolean full = b.getChangesCount() >= limit || bytes[0] > MAX_PAGE_BYTES;
      if (b.getChangesCount() > 0 && full && o.getModRev() != lastRev[0]) {
        b.setMore(true);
        return false;
      }
      b.addChanges(o);
      lastRev[0] = o.getModRev();
      return true;
    });
    result.setChanges(b);
  }

  static Error error(ErrorCode code, String message) {
    return Error.newBuilder().setCode(code).setMessage(message).build();
  }
}
