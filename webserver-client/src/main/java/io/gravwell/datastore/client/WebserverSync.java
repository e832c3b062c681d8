package io.gravwell.datastore.client;

import com.google.protobuf.ByteString;
import io.gravwell.datastore.client.content.ContentStore;
import io.gravwell.datastore.client.store.LocalObject;
import io.gravwell.datastore.client.store.LocalStore;
import io.gravwell.datastore.client.sync.SyncAgent;
import io.gravwell.datastore.client.sync.SyncListener;
import io.gravwell.datastore.client.sync.SyncSettings;
import io.gravwell.datastore.protocol.v1.Acl;
import io.gravwell.datastore.protocol.v1.ObjectKey;
import io.gravwell.datastore.protocol.v1.StoredObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * What a webserver's code uses: its objects (of Webserver-Domain) read from and written to the local
 * store, with the sync agent carrying changes to and from the datastore in the background. Reads never
 * wait for the datastore.
 *
 * <p>Every change is stamped (updated_ms from the injected clock, origin = Webserver-UUID). A change is
 * stamped at least 1 ms after the version it replaces, so an edit always beats what the user saw, even
 * if that version came from a webserver whose clock runs ahead.
 *
 * <p>The caller owns the remote and the store and closes them after {@link #close()}.
 */
public final class WebserverSync implements AutoCloseable {

  /** Kinds whose changes are refused while the datastore is unreachable (as upstream refuses them). */
  public static final Set<String> ADMIN_KINDS = Set.of("user", "group");

  private final SyncSettings settings;
  private final LocalStore store;
  private final Clock clock;
  private final SyncAgent agent;
  private final ContentStore content;

  public WebserverSync(SyncSettings settings, RemoteDatastore remote, LocalStore store, Clock clock,
      RandomGenerator random, SyncListener listener) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.store = Objects.requireNonNull(store, "store");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.agent = new SyncAgent(settings, remote, store, clock, random, listener);
    // Chunks follow the cluster's entry limit as learned from Hello, so each fits one Raft entry.
    this.content = new ContentStore(settings.domain(), settings.origin(), store, clock, random,
        () -> ContentStore.chunkBytesFor(remote.maxEntryBytes()), agent::requestSync);
  }

  /** Large content (resources), stored and synced in chunks; see {@link ContentStore}. */
  public ContentStore content() {
    return content;
  }

  public SyncAgent agent() {
    return agent;
  }

  public boolean isDatastoreAvailable() {
    return agent.isDatastoreAvailable();
  }

  public void start() {
    agent.start();
  }

  public ObjectKey key(String kind, String id) {
    return ObjectKey.newBuilder().setDomain(settings.domain()).setKind(kind).setId(id).build();
  }

  /**
   * Creates or replaces an object locally and queues it for the datastore.
   *
   * @throws DatastoreUnavailableException for users and groups while the datastore is unreachable
   */
  public StoredObject put(String kind, String id, ByteString payload, Acl acl) {
    requireNonEmpty(kind, id);
    if (ADMIN_KINDS.contains(kind) && !agent.isDatastoreAvailable()) {
      throw new DatastoreUnavailableException(kind + " administration is refused until it is reachable again");
    }
    ObjectKey key = key(kind, id);
    long now = clock.millis();
    StoredObject written = store.write(w -> {
      Optional<LocalObject> old = w.get(key);
      StoredObject.Builder b = StoredObject.newBuilder()
          .setKey(key)
          .setPayload(payload)
          .setUpdatedMs(stampAfter(now, old))
          .setOrigin(settings.origin());
      if (acl != null) {
        b.setAcl(acl);
      }
      // The revisions of the version replaced stay until the datastore assigns new ones.
      old.filter(o -> !o.tombstone()).ifPresent(o -> b.setCreateRev(o.object().getCreateRev())
          .setModRev(o.object().getModRev()));
      StoredObject o = b.build();
      w.upsert(LocalObject.dirty(o, old.map(LocalObject::syncedRevision).orElse(0L)));
      return o;
    });
    agent.requestSync();
    return written;
  }

  /**
   * Deletes an object locally (a local tombstone) and queues the delete. Returns false if there was
   * nothing to delete.
   *
   * @throws DatastoreUnavailableException while the datastore is unreachable
   */
  public boolean delete(String kind, String id) {
    requireNonEmpty(kind, id);
    if (!agent.isDatastoreAvailable()) {
      throw new DatastoreUnavailableException("deletes are refused until it is reachable again");
    }
    ObjectKey key = key(kind, id);
    long now = clock.millis();
    boolean deleted = store.write(w -> {
      Optional<LocalObject> old = w.get(key);
      if (old.isEmpty() || old.get().tombstone()) {
        return false;
      }
      StoredObject.Builder tombstone = StoredObject.newBuilder()
          .setKey(key)
          .setUpdatedMs(stampAfter(now, old))
          .setOrigin(settings.origin())
          .setDeleted(true)
          .setCreateRev(old.get().object().getCreateRev())
          .setModRev(old.get().object().getModRev());
      w.upsert(LocalObject.dirty(tombstone.build(), old.get().syncedRevision()));
      return true;
    });
    if (deleted) {
      agent.requestSync();
    }
    return deleted;
  }

  /** The local version, if it exists and is not deleted locally. */
  public Optional<StoredObject> get(String kind, String id) {
    return store.get(key(kind, id)).filter(o -> !o.tombstone()).map(LocalObject::object);
  }

  /** Live objects of one kind in key order; kind empty = every kind of the domain. */
  public List<StoredObject> list(String kind) {
    List<StoredObject> all = new ArrayList<>();
    forEachLive(kind, all::add);
    return all;
  }

  /** How many live objects of one kind there are, without holding them all in memory at once. */
  public long count(String kind) {
    long[] n = {0};
    forEachLive(kind, o -> n[0]++);
    return n[0];
  }

  private void forEachLive(String kind, java.util.function.Consumer<StoredObject> each) {
    store.read(r -> {
      r.scan(settings.domain(), kind, null, o -> {
        if (!o.tombstone()) {
          each.accept(o.object());
        }
        return true;
      });
      return null;
    });
  }

  private static long stampAfter(long now, Optional<LocalObject> old) {
    return Math.max(now, old.map(o -> o.object().getUpdatedMs() + 1).orElse(1L));
  }

  private static void requireNonEmpty(String kind, String id) {
    if (kind == null || kind.isEmpty() || id == null || id.isEmpty()) {
      throw new IllegalArgumentException("kind and id must not be empty");
    }
  }

  @Override
  public void close() {
    agent.close();
  }
}
