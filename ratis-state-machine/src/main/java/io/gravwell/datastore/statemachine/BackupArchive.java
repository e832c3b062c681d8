package io.gravwell.datastore.statemachine;

import com.google.protobuf.TextFormat;
import io.gravwell.datastore.statemachine.v1.BackupEntry;
import io.gravwell.datastore.statemachine.v1.BackupManifest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * The backup archive: one zip file holding the store's files under {@code store/} (a consistent copy of the
 * whole replicated state: objects, tombstones, resources, which are objects too, and the identity), a
 * manifest in protobuf text format, and the manifest's own SHA-256. Every store file's SHA-256 and size
 * is in the manifest, and the manifest's identity and revision are checked against the store they
 * describe, so that {@link #verify} can name exactly which part is damaged.
 */
public final class BackupArchive {
  public static final int FORMAT_VERSION = 1;
  public static final String MANIFEST = "manifest.txtpb";
  public static final String MANIFEST_SHA256 = "manifest.sha256";
  public static final String STORE_PREFIX = "store/";
  /** Where {@link #verify} unpacks the store, below its work directory. */
  static final String UNPACKED_STORE = "store";
  /** Bytes unpacked between progress reports: small enough for a smooth bar on a slow disk. */
  private static final int COPY_BUFFER = 64 * 1024;

  private BackupArchive() {}

  /**
   * Builds an archive from {@code storeCopy} (a file written by {@link ObjectStore#backupTo}). The store is
   * unpacked and opened once to read what it holds, so the manifest describes the data itself rather
   * than the live store, which has moved on meanwhile.
   */
  static BackupManifest write(Path storeCopy, Path workDir, StoreEngine engine, String nodeId, long nowMs,
      Path archive) throws IOException {
    Path storeDir = workDir.resolve(UNPACKED_STORE);
    engine.restore(storeCopy, storeDir);
    Files.delete(storeCopy);
    BackupManifest.Builder manifest = describe(engine, storeDir)
        .setFormatVersion(FORMAT_VERSION)
        .setCreatedAtMs(nowMs)
        .setCreatedByNode(nodeId);
    try (OutputStream raw = Files.newOutputStream(archive); ZipOutputStream zip = new ZipOutputStream(raw)) {
      for (Path file : filesIn(storeDir)) {
        String name = STORE_PREFIX + storeDir.relativize(file).toString().replace('\\', '/');
        zip.putNextEntry(new ZipEntry(name));
        MessageDigest sha = sha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha)) {
          in.transferTo(zip);
        }
        zip.closeEntry();
        manifest.addEntries(BackupEntry.newBuilder().setName(name).setSize(Files.size(file)).setSha256(hex(sha)));
      }
      byte[] text = TextFormat.printer().printToString(manifest.build()).getBytes(StandardCharsets.UTF_8);
      zip.putNextEntry(new ZipEntry(MANIFEST));
      zip.write(text);
      zip.closeEntry();
      zip.putNextEntry(new ZipEntry(MANIFEST_SHA256));
      zip.write((hex(sha256().digest(text)) + "\n").getBytes(StandardCharsets.UTF_8));
      zip.closeEntry();
    }
    fsync(archive);
    ZipArchives.deleteRecursively(storeDir);
    return manifest.build();
  }

  /** What the store in {@code storeDir} holds, for a manifest; opens and closes it. */
  private static BackupManifest.Builder describe(StoreEngine engine, Path storeDir) throws IOException {
    try (ObjectStore store = engine.open(storeDir)) {
      return store.read(r -> {
        StoreMeta meta = r.meta();
        return BackupManifest.newBuilder()
            .setClusterId(meta.clusterId())
            .setIncarnation(meta.incarnation())
            .setRevision(meta.lastApplied().index())
            .setAppliedTerm(meta.lastApplied().term())
            .setCompactRevision(meta.compactRevision())
            .setObjectCount(r.objectCount())
            .setTombstoneCount(r.tombstoneCount());
      });
    }
  }

  /**
   * Checks an archive without a cluster: the manifest is present, intact and parseable; every store file
   * is listed, present and matches its size and SHA-256; the store opens and holds the identity and
   * revision the manifest claims. On success the store is left unpacked in {@code workDir/store}
   * (see {@link #unpackedStore}).
   *
   * @throws BackupCorruptException naming the damaged part
   */
  public static BackupManifest verify(Path archive, Path workDir, StoreEngine engine) throws IOException {
    return verify(archive, workDir, engine, BackupProgress.NONE);
  }

  /** {@link #verify(Path, Path, StoreEngine)}, telling {@code progress} as each store file is hashed. */
  public static BackupManifest verify(Path archive, Path workDir, StoreEngine engine, BackupProgress progress)
      throws IOException {
    if (!Files.isRegularFile(archive)) {
      throw new java.io.FileNotFoundException("backup file " + archive + " does not exist or is not a file");
    }
    BackupManifest manifest;
    Path storeDir = unpackedStore(workDir);
    ZipArchives.deleteRecursively(storeDir);
    Files.createDirectories(storeDir);
    try (ZipFile zip = new ZipFile(archive.toFile())) {
      manifest = readManifest(zip);
      progress.start(manifest.getEntriesList().stream().mapToLong(BackupEntry::getSize).sum());
      Set<String> listed = new HashSet<>();
      for (BackupEntry entry : manifest.getEntriesList()) {
        listed.add(entry.getName());
        extractChecked(zip, entry, storeDir, progress);
      }
      for (var entries = zip.entries(); entries.hasMoreElements(); ) {
        ZipEntry e = entries.nextElement();
        if (e.getName().startsWith(STORE_PREFIX) && !e.isDirectory() && !listed.contains(e.getName())) {
          throw new BackupCorruptException(e.getName(), "is in the archive but not in the manifest");
        }
      }
    } catch (java.util.zip.ZipException e) {
      throw new BackupCorruptException("archive", "is not a readable zip archive (truncated or not a backup): "
          + e.getMessage());
    }
    BackupManifest found;
    try {
      found = describe(engine, storeDir).build();
    } catch (RuntimeException e) {
      throw new BackupCorruptException("store", "does not open: " + e);
    }
    requireSame("cluster_id", manifest.getClusterId(), found.getClusterId());
    requireSame("incarnation", manifest.getIncarnation(), found.getIncarnation());
    requireSame("revision", manifest.getRevision(), found.getRevision());
    requireSame("object_count", manifest.getObjectCount(), found.getObjectCount());
    requireSame("tombstone_count", manifest.getTombstoneCount(), found.getTombstoneCount());
    if (found.getClusterId().isEmpty()) {
      throw new BackupCorruptException("store", "has no cluster identity: it is not a backup of an initialized cluster");
    }
    return manifest;
  }

  /** Where {@link #verify} leaves the checked store. */
  public static Path unpackedStore(Path workDir) {
    return workDir.resolve(UNPACKED_STORE);
  }

  private static BackupManifest readManifest(ZipFile zip) throws IOException {
    ZipEntry entry = zip.getEntry(MANIFEST);
    if (entry == null) {
      throw new BackupCorruptException(MANIFEST, "is missing");
    }
    byte[] text;
    try (InputStream in = zip.getInputStream(entry)) {
      text = in.readAllBytes();
    }
    ZipEntry sum = zip.getEntry(MANIFEST_SHA256);
    if (sum == null) {
      throw new BackupCorruptException(MANIFEST_SHA256, "is missing");
    }
    String expected;
    try (InputStream in = zip.getInputStream(sum)) {
      expected = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
    }
    if (!expected.equals(hex(sha256().digest(text)))) {
      throw new BackupCorruptException(MANIFEST, "does not match its SHA-256 in " + MANIFEST_SHA256);
    }
    BackupManifest.Builder manifest = BackupManifest.newBuilder();
    try {
      TextFormat.merge(new String(text, StandardCharsets.UTF_8), manifest);
    } catch (TextFormat.ParseException e) {
      throw new BackupCorruptException(MANIFEST, "is not parseable: " + e.getMessage());
    }
    if (manifest.getFormatVersion() != FORMAT_VERSION) {
      throw new BackupCorruptException(MANIFEST, "has format_version " + manifest.getFormatVersion()
          + "; this version reads " + FORMAT_VERSION);
    }
    if (manifest.getEntriesCount() == 0) {
      throw new BackupCorruptException(MANIFEST, "lists no store files");
    }
    return manifest.build();
  }

  private static void extractChecked(ZipFile zip, BackupEntry entry, Path storeDir, BackupProgress progress)
      throws IOException {
    String name = entry.getName();
    ZipEntry e = zip.getEntry(name);
    if (e == null || !name.startsWith(STORE_PREFIX)) {
      throw new BackupCorruptException(name, "is listed in the manifest but missing from the archive");
    }
    Path target = storeDir.resolve(name.substring(STORE_PREFIX.length())).normalize();
    if (!target.startsWith(storeDir)) {
      throw new BackupCorruptException(name, "escapes the store directory");
    }
    Files.createDirectories(target.getParent());
    MessageDigest sha = sha256();
    try (InputStream in = new DigestInputStream(zip.getInputStream(e), sha);
        OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      byte[] buf = new byte[COPY_BUFFER];
      for (int n; (n = in.read(buf)) > 0; ) {
        out.write(buf, 0, n);
        progress.advanced(n);
      }
    } catch (java.util.zip.ZipException ex) {
      throw new BackupCorruptException(name, "cannot be read: " + ex.getMessage());
    }
    long size = Files.size(target);
    if (size != entry.getSize()) {
      throw new BackupCorruptException(name, "has " + size + " bytes; the manifest says " + entry.getSize());
    }
    if (!hex(sha).equals(entry.getSha256())) {
      throw new BackupCorruptException(name, "does not match its SHA-256 in the manifest");
    }
  }

  private static void requireSame(String field, Object claimed, Object found) throws BackupCorruptException {
    if (!claimed.equals(found)) {
      throw new BackupCorruptException(MANIFEST, field + " is " + claimed + " but the store holds " + found);
    }
  }

  private static List<Path> filesIn(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      List<Path> files = new ArrayList<>(walk.filter(Files::isRegularFile).sorted().toList());
      return files;
    }
  }

  /** Removes a backup's or restore's work directory, if present. */
  public static void deleteTree(Path dir) throws IOException {
    ZipArchives.deleteRecursively(dir);
  }

  static void fsync(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
  }

  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  public static String hex(MessageDigest digest) {
    return hex(digest.digest());
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  /** A backup archive whose named part is damaged or inconsistent. */
  public static final class BackupCorruptException extends IOException {
    private final String part;

    BackupCorruptException(String part, String problem) {
      super(part + " " + problem);
      this.part = part;
    }

    /** The damaged part: an entry name, "manifest.txtpb", "archive" or "store". */
    public String part() {
      return part;
    }
  }
}
