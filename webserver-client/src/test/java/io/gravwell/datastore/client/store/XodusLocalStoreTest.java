package io.gravwell.datastore.client.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.gravwell.datastore.protocol.v1.ObjectKey;
import io.gravwell.datastore.protocol.v1.StoredObject;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class XodusLocalStoreTest {

  @TempDir Path dir;

  static ObjectKey key(String domain, String kind, String id) {
    return ObjectKey.newBuilder().setDomain(domain).setKind(kind).setId(id).build();
  }

  static StoredObject object(ObjectKey key, String payload, long modRev) {
    return StoredObject.newBuilder().setKey(key).setPayload(ByteString.copyFromUtf8(payload))
        .setUpdatedMs(1).setOrigin("ws").setModRev(modRev).build();
  }

  @Test
  void keepsObjectsFlagsIndexesAndCheckpointAcrossReopen() throws Exception {
    ObjectKey a = key("d", "dashboard", "a");
    ObjectKey b = key("d", "dashboard", "b");
    ObjectKey u = key("d", "user", "u");
    ObjectKey other = key("d2", "dashboard", "a");
    try (XodusLocalStore s = XodusLocalStore.open(dir)) {
      s.upsert(LocalObject.synced(object(a, "A", 5)));
      s.upsert(LocalObject.dirty(object(b, "B", 0), 0));
      s.upsert(LocalObject.dirty(object(u, "U", 7).toBuilder().setDeleted(true).build(), 7));
      s.upsert(LocalObject.synced(object(other, "X", 9)));
      s.writeCheckpoint(new SyncCheckpoint("cluster", 2, 42));
    }
    try (XodusLocalStore s = XodusLocalStore.open(dir)) {
      assertThat(s.get(a)).contains(LocalObject.synced(object(a, "A", 5)));
      assertThat(s.list("d", "dashboard")).extracting(LocalObject::key).containsExactly(a, b);
      assertThat(s.list("d", "")).hasSize(3);
      assertThat(s.dirty(10)).extracting(LocalObject::key).containsExactlyInAnyOrder(b, u);
      assertThat(s.get(u).orElseThrow().tombstone()).isTrue();
      assertThat(s.dirtyCount()).isEqualTo(2);
      assertThat(s.syncedCount()).isEqualTo(3); // a, u (synced before its local delete), other
      assertThat(s.checkpoint()).contains(new SyncCheckpoint("cluster", 2, 42));

      s.upsert(LocalObject.synced(object(b, "B", 8)));
      s.remove(u);
      assertThat(s.dirtyCount()).isZero();
      assertThat(s.syncedCount()).isEqualTo(3);
      assertThat(s.read(LocalReader::count)).isEqualTo(3);
    }
  }

  @Test
  void dirtyPagesResumeAfterAKey() throws Exception {
    try (XodusLocalStore s = XodusLocalStore.open(dir)) {
      for (int i = 0; i < 7; i++) {
        s.upsert(LocalObject.dirty(object(key("d", "k", "id" + i), "p", 0), 0));
      }
      var first = s.read(r -> r.dirty(null, 3));
      var second = s.read(r -> r.dirty(first.get(2).key(), 3));
      var third = s.read(r -> r.dirty(second.get(2).key(), 3));
      assertThat(first).hasSize(3);
      assertThat(second).hasSize(3);
      assertThat(third).hasSize(1);
      assertThat(third.get(0).key().getId()).isEqualTo("id6");
    }
  }

  @Test
  void keysWithAwkwardCharactersStayDistinct() throws Exception {
    try (XodusLocalStore s = XodusLocalStore.open(dir)) {
      s.upsert(LocalObject.synced(object(key("d", "k", "a\u0000b"), "1", 1)));
      s.upsert(LocalObject.synced(object(key("d", "k\u0000a", "b"), "2", 1)));
      s.upsert(LocalObject.synced(object(key("d", "k", "ü"), "3", 1)));
      assertThat(s.list("d", "k")).hasSize(2);
      assertThat(s.list("d", "")).hasSize(3);
    }
  }

  @Test
  void dirtyPagesAreBoundedInBytes() throws Exception {
    try (XodusLocalStore s = XodusLocalStore.open(dir)) {
      for (int i = 0; i < 6; i++) {
        s.upsert(LocalObject.dirty(object(key("d", "k", "o" + i), "x".repeat(1000), 0), 0));
      }
      List<LocalObject> first = s.read(r -> r.dirty(null, 100, 2500));
      assertThat(first).extracting(o -> o.key().getId()).containsExactly("o0", "o1");
      List<LocalObject> second = s.read(r -> r.dirty(key("d", "k", "o1"), 100, 2500));
      assertThat(second).extracting(o -> o.key().getId()).containsExactly("o2", "o3");
      List<LocalObject> tiny = s.read(r -> r.dirty(null, 100, 10));
      assertThat(tiny).as("always at least one").hasSize(1);
      List<LocalObject> all = s.read(r -> r.dirty(null, 100, Long.MAX_VALUE));
      assertThat(all).hasSize(6);
    }
  }
}
