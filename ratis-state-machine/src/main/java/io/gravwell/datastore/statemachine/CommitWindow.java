package io.gravwell.datastore.statemachine;

import io.gravwell.datastore.protocol.v1.StoredObject;
import io.gravwell.datastore.statemachine.v1.MemberDirectory;
import java.util.ArrayList;
import java.util.List;

/**
 * Entries applied in a store transaction that has not committed yet. The apply thread answers each write
 * as soon as it is applied; what others observe (the applied index, the store's content, the identity,
 * change notifications) moves when the window commits. One store commit costs as much as a dozen puts,
 * and with one write entry in flight per node a transaction per entry could never wait for more entries:
 * a window lets several entries share one commit without making any write wait for it.
 *
 * <p>Durability does not change: store writes were never synced, the Raft log is the durable record, and
 * an uncommitted window is replayed from it after a crash (the store's lastApplied commits with the data).
 * Only the apply thread touches a window, and it holds the state machine's locks while one is open.
 */
final class CommitWindow {

  /** What a commit made visible, for the state machine to publish. */
  record Committed(AppliedPosition position, StoreMeta meta, MemberDirectory members, List<Change> changes) {}

  /** One write entry's changes, for apply listeners. */
  record Change(long revision, List<StoredObject> objects) {}

  private WriteSession session;
  private volatile boolean open;
  private long openedNanos;
  private int entries;
  private long bytes;
  private AppliedPosition position;
  private StoreMeta meta;
  private MemberDirectory members;
  private List<Change> changes = new ArrayList<>();

  /** Readable from any thread: whether entries wait for a commit to become visible. */
  boolean isOpen() {
    return open;
  }

  void open(WriteSession session, AppliedPosition from, StoreMeta meta, long nowNanos) {
    this.session = session;
    this.openedNanos = nowNanos;
    this.position = from;
    this.meta = meta;
    this.members = null;
    this.entries = 0;
    this.bytes = 0;
    this.open = true;
  }

  StoreWriter writer() {
    return session.writer();
  }

  /** A write entry applied in the session. */
  void applied(AppliedPosition at, AppliedEntry done, long entryBytes) {
    position = at;
    meta = done.meta();
    if (done.result().hasMembers()) {
      members = done.result().getMembers();
    }
    if (done.write()) {
      changes.add(new Change(at.index(), done.changes()));
    }
    bytes += entryBytes;
  }

  /** An entry without data (or one the store already holds) passed while the window was open. */
  void stepped(AppliedPosition at) {
    position = AppliedPosition.later(position, at);
  }

  /** Entries handed over while the window was open, whatever they were; settled at commit. */
  void counted(int n) {
    entries += n;
  }

  /** The latest position applied, committed or not. */
  AppliedPosition position() {
    return position;
  }

  StoreMeta meta() {
    return meta;
  }

  long ageNanos(long nowNanos) {
    return nowNanos - openedNanos;
  }

  long bytes() {
    return bytes;
  }

  int entries() {
    return entries;
  }

  /** Commits the session and closes the window; on failure the window is closed and the session dropped. */
  Committed commit() {
    try {
      session.commit();
      return new Committed(position, meta, members, changes);
    } finally {
      close();
    }
  }

  /** Drops the session's changes (after a storage failure); returns how many entries it held. */
  int abort() {
    int n = entries;
    try {
      session.abort();
    } finally {
      close();
    }
    return n;
  }

  private void close() {
    session = null;
    open = false;
    changes = new ArrayList<>();
    members = null;
  }
}
