package io.gravwell.datastore.client.store;

import io.gravwell.datastore.protocol.v1.ObjectKey;
import io.gravwell.datastore.xodus.XodusBytes;
import io.gravwell.datastore.xodus.XodusScan;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import jetbrains.exodus.ArrayByteIterable;
import jetbrains.exodus.ByteIterable;
import jetbrains.exodus.env.Cursor;
import jetbrains.exodus.env.Environment;
import jetbrains.exodus.env.EnvironmentConfig;
import jetbrains.exodus.env.Environments;
import jetbrains.exodus.env.Store;
import jetbrains.exodus.env.StoreConfig;
import jetbrains.exodus.env.Transaction;

/**
 * {@link LocalStore} on a Xodus environment in a directory. Four named stores:
 * <ul>
 *   <li>objects: {@link LocalKeys} key → {@link LocalRecords} record</li>
 *   <li>dirty: key → empty, one row per object waiting to be pushed (the idle check is a count)</li>
 *   <li>synced: key → empty, one row per object synced at least once, remembered deletes aside
 *       ({@link LocalObject#holdsSyncedData()})</li>
 *   <li>meta: name → value (the checkpoint)</li>
 * </ul>
 * Durable writes are ON, unlike the datastore's own store: there no Raft log stands behind this copy,
 * and it is what a re-seed rebuilds the datastore from.
 */
public final class XodusLocalStore implements LocalStore {

  private static final ByteIterable CHECKPOINT = new ArrayByteIterable("checkpoint".getBytes(StandardCharsets.UTF_8));

  private final Environment env;
  private final Store objects;
  private final Store dirty;
  private final Store synced;
  private final Store meta;

  private XodusLocalStore(Path dir) throws IOException {
    Files.createDirectories(dir);
    env = Environments.newInstance(dir.toFile(), new EnvironmentConfig().setLogDurableWrite(true));
    StoreConfig prefixed = StoreConfig.WITHOUT_DUPLICATES_WITH_PREFIXING;
    Store[] opened = env.computeInTransaction(txn -> new Store[] {
        env.openStore("objects", prefixed, txn),
        env.openStore("dirty", prefixed, txn),
        env.openStore("synced", prefixed, txn),
        env.openStore("meta", StoreConfig.WITHOUT_DUPLICATES, txn)});
    objects = opened[0];
    dirty = opened[1];
    synced = opened[2];
    meta = opened[3];
  }

  /** Opens (creating if needed) the store in {@code dir}; Xodus locks the directory exclusively. */
  public static XodusLocalStore open(Path dir) throws IOException {
    return new XodusLocalStore(dir);
  }

  @Override
  public <T> T read(Function<? super LocalReader, T> work) {
    return env.computeInReadonlyTransaction(txn -> work.apply(new Txn(txn)));
  }

  @Override
  public <T> T write(Function<? super LocalWriter, T> work) {
    return env.computeInTransaction(txn -> work.apply(new Txn(txn)));
  }

  @Override
  public void close() {
    if (env.isOpen()) {
      env.close();
    }
  }

  private final class Txn implements LocalWriter {
    private final Transaction txn;

    Txn(Transaction txn) {
      this.txn = txn;
    }

    @Override
    public Optional<LocalObject> get(ObjectKey key) {
      ByteIterable v = objects.get(txn, new ArrayByteIterable(LocalKeys.of(key)));
      return v == null ? Optional.empty() : Optional.of(LocalRecords.decode(XodusBytes.copyOf(v)));
    }

    @Override
    public void scan(String domain, String kind, ObjectKey after, Predicate<LocalObject> visitor) {
      byte[] prefix = kind.isEmpty() ? LocalKeys.components(domain) : LocalKeys.components(domain, kind);
      byte[] afterKey = after == null ? null : LocalKeys.of(after);
      XodusScan.withPrefix(objects, txn, prefix, afterKey,
          (key, value) -> visitor.test(LocalRecords.decode(XodusBytes.copyOf(value))));
    }

    @Override
    public List<LocalObject> dirty(ObjectKey after, int limit, long maxBytes) {
      List<LocalObject> page = new ArrayList<>();
      byte[] afterKey = after == null ? null : LocalKeys.of(after);
      long bytes = 0;
      try (Cursor c = dirty.openCursor(txn)) {
        boolean positioned = afterKey == null ? c.getNext()
            : c.getSearchKeyRange(new ArrayByteIterable(afterKey)) != null;
        while (positioned && page.size() < limit) {
          byte[] key = XodusBytes.copyOf(c.getKey());
          if (afterKey == null || !Arrays.equals(key, afterKey)) {
            ByteIterable v = objects.get(txn, new ArrayByteIterable(key));
            if (v == null) {
              throw new IllegalStateException("dirty row without object: " + LocalKeys.parse(key));
            }
            // Measured before decoding: a record that would cross the bound is not even copied.
            bytes += v.getLength();
            if (!page.isEmpty() && bytes > maxBytes) {
              break;
            }
            page.add(LocalRecords.decode(XodusBytes.copyOf(v)));
          }
          positioned = c.getNext();
        }
      }
      return page;
    }

    @Override
    public long dirtyCount() {
      return dirty.count(txn);
    }

    @Override
    public long count() {
      return objects.count(txn);
    }

    @Override
    public long syncedCount() {
      return synced.count(txn);
    }

    @Override
    public Optional<SyncCheckpoint> checkpoint() {
      ByteIterable v = meta.get(txn, CHECKPOINT);
      return v == null ? Optional.empty() : Optional.of(LocalRecords.decodeCheckpoint(XodusBytes.copyOf(v)));
    }

    @Override
    public void upsert(LocalObject object) {
      ArrayByteIterable key = new ArrayByteIterable(LocalKeys.of(object.key()));
      objects.put(txn, key, new ArrayByteIterable(LocalRecords.encode(object)));
      index(dirty, key, object.dirty());
      index(synced, key, object.holdsSyncedData());
    }

    private void index(Store index, ArrayByteIterable key, boolean member) {
      if (member) {
        index.put(txn, key, ByteIterable.EMPTY);
      } else {
        index.delete(txn, key);
      }
    }

    @Override
    public void remove(ObjectKey objectKey) {
      ArrayByteIterable key = new ArrayByteIterable(LocalKeys.of(objectKey));
      objects.delete(txn, key);
      dirty.delete(txn, key);
      synced.delete(txn, key);
    }

    @Override
    public void writeCheckpoint(SyncCheckpoint checkpoint) {
      meta.put(txn, CHECKPOINT, new ArrayByteIterable(LocalRecords.encode(checkpoint)));
    }
  }
}
