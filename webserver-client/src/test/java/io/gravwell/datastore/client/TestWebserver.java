package io.gravwell.datastore.client;

import com.google.protobuf.ByteString;
import io.gravwell.datastore.client.store.XodusLocalStore;
import io.gravwell.datastore.client.sync.SyncAgent;
import io.gravwell.datastore.client.sync.SyncCounters;
import io.gravwell.datastore.client.sync.SyncListener;
import io.gravwell.datastore.client.sync.SyncOutcome;
import io.gravwell.datastore.client.sync.SyncSettings;
import io.gravwell.datastore.protocol.v1.Acl;
import io.gravwell.datastore.protocol.v1.StoredObject;
import io.gravwell.datastore.statemachine.InProcessReplica;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/** One webserver of a test fleet: its own local store and clock, sharing a replica with the others. */
public final class TestWebserver implements AutoCloseable {

  public static final String DOMAIN = "d";

  public final String origin;
  public final TestClock clock;
  public final XodusLocalStore store;
  public final InProcessRemote remote;
  public final WebserverSync sync;

  public TestWebserver(String origin, Path dir, InProcessReplica replica, TestClock clock, SyncSettings settings,
      SyncListener listener) {
    this.origin = origin;
    this.clock = clock;
    try {
      this.store = XodusLocalStore.open(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.remote = new InProcessRemote(replica, clock);
    this.sync = new WebserverSync(settings, remote, store, clock, new Random(origin.hashCode()), listener);
  }

  public TestWebserver(String origin, Path dir, InProcessReplica replica, TestClock clock) {
    this(origin, dir, replica, clock, SyncSettings.of(DOMAIN, origin).withPageSize(3), SyncListener.NONE);
  }

  public StoredObject put(String id, String payload) {
    return sync.put("dashboard", id, ByteString.copyFromUtf8(payload), Acl.newBuilder().setOwnerUid(1).build());
  }

  public boolean delete(String id) {
    return sync.delete("dashboard", id);
  }

  public String payload(String id) {
    return sync.get("dashboard", id).map(o -> o.getPayload().toStringUtf8()).orElse(null);
  }

  public SyncOutcome syncOnce() {
    return sync.agent().syncOnce();
  }

  public SyncAgent agent() {
    return sync.agent();
  }

  public SyncCounters counters() {
    return sync.agent().counters();
  }

  /** id → payload of every live object of the domain, every kind. */
  public Map<String, String> contents() {
    Map<String, String> m = new TreeMap<>();
    sync.list("").forEach(o -> m.put(o.getKey().getKind() + "/" + o.getKey().getId(), o.getPayload().toStringUtf8()));
    return m;
  }

  public static Map<String, String> contentsOf(InProcessReplica replica) {
    Map<String, String> m = new TreeMap<>();
    replica.liveObjects().stream().filter(o -> o.getKey().getDomain().equals(DOMAIN))
        .forEach(o -> m.put(o.getKey().getKind() + "/" + o.getKey().getId(), o.getPayload().toStringUtf8()));
    return m;
  }

  @Override
  public void close() {
    sync.close();
    store.close();
  }
}
