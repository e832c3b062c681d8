package io.gravwell.datastore.statemachine;

import com.google.protobuf.InvalidProtocolBufferException;
import io.gravwell.datastore.protocol.v1.ObjectKey;
import io.gravwell.datastore.protocol.v1.StoredObject;
import io.gravwell.datastore.statemachine.v1.MemberDirectory;
import io.gravwell.datastore.xodus.XodusBytes;
import io.gravwell.datastore.xodus.XodusScan;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import jetbrains.exodus.ArrayByteIterable;
import jetbrains.exodus.ByteIterable;
import jetbrains.exodus.backup.BackupStrategy;
import jetbrains.exodus.backup.Backupable;
import jetbrains.exodus.backup.VirtualFileDescriptor;
import jetbrains.exodus.env.Cursor;
import jetbrains.exodus.env.Environment;
import jetbrains.exodus.env.EnvironmentConfig;
import jetbrains.exodus.env.EnvironmentImpl;
import jetbrains.exodus.env.Environments;
import jetbrains.exodus.env.Store;
import jetbrains.exodus.env.StoreConfig;
import jetbrains.exodus.env.Transaction;

/**
 * {@link ObjectStore} on a Xodus environment. Four named stores:
 * <ul>
 *   <li>objects: {@link KeyCodec#objectKey} → serialized StoredObject (live objects and tombstones)</li>
 *   <li>revisions: number(mod_rev) + object key → empty; one row per stored object</li>
 *   <li>tombstones: number(deleted_at_ms) + object key → empty; one row per tombstone</li>
 *   <li>meta: name → value</li>
 * </ul>
 * Writes are not fsync'd (durable writes off): the Raft log is the durable record and the state machine
 * replays it past the lastApplied stored with the data. {@link #sync()} is forced before backups.
 */
public final class XodusObjectStore implements ObjectStore {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(XodusObjectStore.class);

  public static final StoreEngine ENGINE = new Engine();

  private static final String OBJECTS = "objects";
  private static final String REVISIONS = "revisions";
  private static final String TOMBSTONES = "tombstones";
  private static final String META = "meta";
  private static final ByteIterable LAST_APPLIED = utf8("lastApplied");
  private static final ByteIterable CLUSTER_ID = utf8("clusterId");
  private static final ByteIterable INCARNATION = utf8("incarnation");
  private static final ByteIterable COMPACT_REVISION = utf8("compactRevision");
  private static final ByteIterable PENDING_CLUSTER_ID = utf8("pendingClusterId");
  private static final ByteIterable PENDING_INCARNATION = utf8("pendingIncarnation");
  private static final ByteIterable MEMBERS = utf8("members");

  /** Share of the heap for Xodus' page cache, unless the exodus.memoryUsage* system properties say otherwise. */
  static final int CACHE_PERCENT_OF_HEAP = 10;

  private final Environment env;
  private final Store objects;
  private final Store revisions;
  private final Store tombstones;
  private final Store meta;

  private XodusObjectStore(Path dir) throws IOException {
    Files.createDirectories(dir);
    EnvironmentConfig config = new EnvironmentConfig()
        .setLogDurableWrite(false)
        // Pause/close happen under the state machine's exclusive lock; a stray reader must not block them.
        .setEnvCloseForcedly(true);
    if (System.getProperty(EnvironmentConfig.MEMORY_USAGE) == null
        && System.getProperty(EnvironmentConfig.MEMORY_USAGE_PERCENTAGE) == null) {
      // Xodus' page cache takes half the heap by default. A heap dump of a node that ran out of a 256 MiB
      // heap during a large upload held 67 MB there and 79 MB in Ratis' log cache; the OS page cache holds
      // the store's files anyway, so a cache miss costs a copy, not a disk read.
      config.setMemoryUsagePercentage(CACHE_PERCENT_OF_HEAP);
    }
    env = Environments.newInstance(dir.toFile(), config);
    StoreConfig prefixed = StoreConfig.WITHOUT_DUPLICATES_WITH_PREFIXING;
    Store[] opened = env.computeInTransaction(txn -> new Store[] {
        env.openStore(OBJECTS, prefixed, txn),
        env.openStore(REVISIONS, prefixed, txn),
        env.openStore(TOMBSTONES, prefixed, txn),
        env.openStore(META, StoreConfig.WITHOUT_DUPLICATES, txn)});
    objects = opened[0];
    revisions = opened[1];
    tombstones = opened[2];
    meta = opened[3];
  }

  public static XodusObjectStore open(Path dir) throws IOException {
    return new XodusObjectStore(dir);
  }

  @Override
  public <T> T read(Function<? super StoreReader, T> work) {
    return env.computeInReadonlyTransaction(txn -> work.apply(new Txn(txn)));
  }

  @Override
  public <T> T write(Function<? super StoreWriter, T> work) {
    return env.computeInTransaction(txn -> work.apply(new Txn(txn)));
  }

  /**
   * Exclusive: Xodus would fail a commit that raced another writer (or its own log cleaner) and expects
   * the work to be run again, which a session whose answers have already gone out cannot do.
   */
  @Override
  public WriteSession beginWrite() {
    Transaction txn = env.beginExclusiveTransaction();
    Txn writer = new Txn(txn);
    return new WriteSession() {
      @Override
      public StoreWriter writer() {
        return writer;
      }

      @Override
      public void commit() {
        if (!txn.commit()) {
          throw new IllegalStateException("exclusive store transaction failed to commit");
        }
      }

      @Override
      public void abort() {
        if (!txn.isFinished()) {
          txn.abort();
        }
      }
    };
  }

  @Override
  public void sync() {
    ((EnvironmentImpl) env).flushAndSync();
  }

  /**
   * Xodus' hot backup (consistent while writes go on) into a zip of the log files. Written here rather
   * than with Xodus' CompressBackupUtil for the compression level: its default deflate level made a
   * snapshot of a 25 MB store take about a second, during which Ratis' updater hands nothing new to
   * apply, and all replicas snapshot at the same index. The format is the same: one entry per log file.
   */
  @Override
  public void backupTo(Path file) throws IOException {
    sync();
    Files.deleteIfExists(file);
    BackupStrategy strategy = ((Backupable) env).getBackupStrategy();
    try {
      strategy.beforeBackup();
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
           ZipOutputStream zip = new ZipOutputStream(out)) {
        // Deflate's fastest level still ran at ~35 MB/s here on incompressible resource content (1 GiB:
        // 30 s); stored blocks cost a copy and a CRC. Snapshots are bigger on disk and on the wire for it.
        zip.setLevel(Deflater.NO_COMPRESSION);
        for (VirtualFileDescriptor fd : strategy.getContents()) {
          if (strategy.isInterrupted()) {
            throw new IOException("Xodus backup to " + file + " was interrupted");
          }
          long size = fd.hasContent() ? Math.min(fd.getFileSize(), strategy.acceptFile(fd)) : 0;
          if (size > 0) {
            ZipEntry entry = new ZipEntry(fd.getPath() + fd.getName());
            entry.setTime(fd.getTimeStamp());
            zip.putNextEntry(entry);
            copy(fd, size, zip);
            zip.closeEntry();
          }
        }
      }
    } catch (Exception e) {
      strategy.onError(e);
      throw e instanceof IOException io ? io : new IOException("Xodus backup to " + file + " failed", e);
    } finally {
      try {
        strategy.afterBackup();
      } catch (Exception e) {
        LOG.warn("Xodus backup cleanup failed", e);
      }
    }
  }

  /** Exactly {@code size} bytes: a log file may grow past what the backup's consistent view covers. */
  private static void copy(VirtualFileDescriptor fd, long size, OutputStream to) throws IOException {
    InputStream in = fd.getInputStream();
    try {
      byte[] buf = new byte[1 << 16];
      for (long left = size; left > 0; ) {
        int n = in.read(buf, 0, (int) Math.min(buf.length, left));
        if (n < 0) {
          throw new IOException("Xodus log file " + fd.getName() + " ended " + left + " bytes early");
        }
        to.write(buf, 0, n);
        left -= n;
      }
    } finally {
      if (fd.shouldCloseStream()) {
        in.close();
      }
    }
  }


  @Override
  public void close() {
    if (env.isOpen()) {
      env.close();
    }
  }

  private static ByteIterable utf8(String s) {
    return new ArrayByteIterable(s.getBytes(StandardCharsets.UTF_8));
  }

  private static StoredObject parse(ByteIterable value) {
    try {
      return StoredObject.parseFrom(XodusBytes.copyOf(value));
    } catch (InvalidProtocolBufferException e) {
      throw new UncheckedIOException("corrupt object in store", e);
    }
  }

  private final class Txn implements StoreWriter {
    private final Transaction txn;

    Txn(Transaction txn) {
      this.txn = txn;
    }

    @Override
    public Optional<StoredObject> get(ObjectKey key) {
      ByteIterable v = objects.get(txn, new ArrayByteIterable(KeyCodec.objectKey(key)));
      return v == null ? Optional.empty() : Optional.of(parse(v));
    }

    @Override
    public void scanObjects(String domain, String kind, ObjectKey after, Predicate<StoredObject> visitor) {
      byte[] prefix = kind.isEmpty() ? KeyCodec.components(domain) : KeyCodec.components(domain, kind);
      byte[] afterKey = after == null ? null : KeyCodec.objectKey(after);
      XodusScan.withPrefix(objects, txn, prefix, afterKey, (key, value) -> visitor.test(parse(value)));
    }

    @Override
    public void scanAll(Predicate<StoredObject> visitor) {
      try (Cursor c = objects.openCursor(txn)) {
        while (c.getNext()) {
          if (!visitor.test(parse(c.getValue()))) {
            return;
          }
        }
      }
    }

    @Override
    public void scanChanges(long afterRevision, Predicate<StoredObject> visitor) {
      if (afterRevision == Long.MAX_VALUE) {
        return;
      }
      try (Cursor c = revisions.openCursor(txn)) {
        if (c.getSearchKeyRange(new ArrayByteIterable(KeyCodec.number(afterRevision + 1))) == null) {
          return;
        }
        do {
          if (!visitor.test(objectOfIndexRow(c.getKey()))) {
            return;
          }
        } while (c.getNext());
      }
    }

    @Override
    public void scanTombstones(long cutoffMs, Predicate<StoredObject> visitor) {
      try (Cursor c = tombstones.openCursor(txn)) {
        while (c.getNext()) {
          byte[] row = XodusBytes.copyOf(c.getKey());
          if (KeyCodec.readNumber(row) > cutoffMs) {
            return;
          }
          if (!visitor.test(objectOfIndexRow(c.getKey()))) {
            return;
          }
        }
      }
    }

    private StoredObject objectOfIndexRow(ByteIterable row) {
      ByteIterable key = row.subIterable(8, row.getLength() - 8);
      ByteIterable v = objects.get(txn, key);
      if (v == null) {
        throw new IllegalStateException("index row without object: " + Arrays.toString(XodusBytes.copyOf(row)));
      }
      return parse(v);
    }

    @Override
    public StoreMeta meta() {
      ByteIterable applied = meta.get(txn, LAST_APPLIED);
      AppliedPosition position = AppliedPosition.NONE;
      if (applied != null) {
        byte[] b = XodusBytes.copyOf(applied);
        position = new AppliedPosition(
            KeyCodec.readNumber(b), KeyCodec.readNumber(Arrays.copyOfRange(b, 8, 16)));
      }
      ByteIterable clusterId = meta.get(txn, CLUSTER_ID);
      ByteIterable pendingId = meta.get(txn, PENDING_CLUSTER_ID);
      return new StoreMeta(
          position,
          clusterId == null ? "" : new String(XodusBytes.copyOf(clusterId), StandardCharsets.UTF_8),
          readLong(INCARNATION),
          readLong(COMPACT_REVISION),
          pendingId == null ? null : new StoreMeta.PendingIdentity(
              new String(XodusBytes.copyOf(pendingId), StandardCharsets.UTF_8), readLong(PENDING_INCARNATION)));
    }

    @Override
    public MemberDirectory memberDirectory() {
      ByteIterable v = meta.get(txn, MEMBERS);
      if (v == null) {
        return MemberDirectory.getDefaultInstance();
      }
      try {
        return MemberDirectory.parseFrom(XodusBytes.copyOf(v));
      } catch (InvalidProtocolBufferException e) {
        throw new IllegalStateException("member directory in the store is unreadable", e);
      }
    }

    private long readLong(ByteIterable name) {
      ByteIterable v = meta.get(txn, name);
      return v == null ? 0 : KeyCodec.readNumber(XodusBytes.copyOf(v));
    }

    @Override
    public long objectCount() {
      return objects.count(txn);
    }

    @Override
    public long tombstoneCount() {
      return tombstones.count(txn);
    }

    @Override
    public void put(StoredObject object) {
      byte[] key = KeyCodec.objectKey(object.getKey());
      ArrayByteIterable keyIt = new ArrayByteIterable(key);
      ByteIterable previous = objects.get(txn, keyIt);
      write(key, keyIt, object, previous == null ? null : parse(previous));
    }

    @Override
    public void replace(StoredObject object, Optional<StoredObject> current) {
      byte[] key = KeyCodec.objectKey(object.getKey());
      write(key, new ArrayByteIterable(key), object, current.orElse(null));
    }

    private void write(byte[] key, ArrayByteIterable keyIt, StoredObject object, StoredObject old) {
      if (old != null) {
        dropIndexRows(key, old);
      }
      objects.put(txn, keyIt, new ArrayByteIterable(object.toByteArray()));
      revisions.put(txn, row(object.getModRev(), key), ByteIterable.EMPTY);
      if (object.getDeleted()) {
        tombstones.put(txn, row(object.getDeletedAtMs(), key), ByteIterable.EMPTY);
      }
    }

    @Override
    public void remove(ObjectKey objectKey) {
      byte[] key = KeyCodec.objectKey(objectKey);
      ArrayByteIterable keyIt = new ArrayByteIterable(key);
      ByteIterable previous = objects.get(txn, keyIt);
      if (previous != null) {
        dropIndexRows(key, parse(previous));
        objects.delete(txn, keyIt);
      }
    }

    private void dropIndexRows(byte[] key, StoredObject old) {
      revisions.delete(txn, row(old.getModRev(), key));
      if (old.getDeleted()) {
        tombstones.delete(txn, row(old.getDeletedAtMs(), key));
      }
    }

    private ByteIterable row(long number, byte[] key) {
      return new ArrayByteIterable(KeyCodec.numberThenKey(number, key));
    }

    @Override
    public void setLastApplied(AppliedPosition position) {
      byte[] v = new byte[16];
      System.arraycopy(KeyCodec.number(position.term()), 0, v, 0, 8);
      System.arraycopy(KeyCodec.number(position.index()), 0, v, 8, 8);
      meta.put(txn, LAST_APPLIED, new ArrayByteIterable(v));
    }

    @Override
    public void setIdentity(String clusterId, long incarnation) {
      meta.put(txn, CLUSTER_ID, utf8(clusterId));
      meta.put(txn, INCARNATION, new ArrayByteIterable(KeyCodec.number(incarnation)));
      meta.delete(txn, PENDING_CLUSTER_ID);
      meta.delete(txn, PENDING_INCARNATION);
    }

    @Override
    public void setPendingIdentity(StoreMeta.PendingIdentity pending) {
      meta.delete(txn, CLUSTER_ID);
      meta.delete(txn, INCARNATION);
      meta.put(txn, PENDING_CLUSTER_ID, utf8(pending.clusterId()));
      meta.put(txn, PENDING_INCARNATION, new ArrayByteIterable(KeyCodec.number(pending.minIncarnation())));
    }

    @Override
    public void setCompactRevision(long revision) {
      meta.put(txn, COMPACT_REVISION, new ArrayByteIterable(KeyCodec.number(revision)));
    }

    @Override
    public void setMemberDirectory(MemberDirectory directory) {
      meta.put(txn, MEMBERS, new ArrayByteIterable(directory.toByteArray()));
    }
  }

  private static final class Engine implements StoreEngine {
    @Override
    public ObjectStore open(Path dir) throws IOException {
      return XodusObjectStore.open(dir);
    }

    @Override
    public void restore(Path backupFile, Path dir) throws IOException {
      ZipArchives.replaceDirectoryWith(backupFile, dir);
    }

    @Override
    public String toString() {
      return "xodus";
    }
  }
}
