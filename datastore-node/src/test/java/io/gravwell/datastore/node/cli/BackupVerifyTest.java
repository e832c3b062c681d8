package io.gravwell.datastore.node.cli;

import static io.gravwell.datastore.node.cluster.Requests.put;
import static org.assertj.core.api.Assertions.assertThat;

import io.gravwell.datastore.node.cluster.LocalCluster;
import io.gravwell.datastore.protocol.client.DatastoreConnection;
import io.gravwell.datastore.statemachine.BackupArchive;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BiFunction;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `datastore backup verify` on a real backup and on damaged copies of it; and the command line's errors
 * for backup and restore.
 */
class BackupVerifyTest {
  @TempDir
  static Path shared;

  static Path backup;
  static Path config;

  @TempDir
  Path dir;

  @BeforeAll
  static void takeBackup() {
    backup = shared.resolve("good.dsbak");
    try (LocalCluster cluster = LocalCluster.builder(shared.resolve("cluster")).size(1).start()) {
      cluster.awaitLeader();
      try (DatastoreConnection c = cluster.connect(0)) {
        for (int k = 0; k < 200; k++) {
          c.call(put("resource", "r" + k, "content " + k + " ".repeat(k))).join();
        }
      }
      config = cluster.writeConfig(0);
      Cli taken = Cli.run("backup", "-c", config.toString(), "--out", backup.toString());
      assertThat(taken.exit()).as(taken.toString()).isZero();
    }
  }

  @Test
  void anIntactBackupPasses() {
    Cli v = Cli.run("backup", "verify", backup.toString());
    assertThat(v.exit()).as(v.toString()).isZero();
    assertThat(v.out()).contains("is intact").contains("revision ").contains("200 objects");
    assertThat(v.err()).contains("100%").contains("MiB");
  }

  @Test
  void quietVerifyDrawsNoBarAndPrintsTheSameResult() {
    Cli loud = Cli.run("backup", "verify", backup.toString());
    Cli quiet = Cli.run("backup", "verify", "--quiet", backup.toString());
    assertThat(quiet.exit()).as(quiet.toString()).isZero();
    assertThat(quiet.err()).doesNotContain("%");
    assertThat(quiet.out()).isEqualTo(loud.out());
  }

  @Test
  void changedStoreDataIsNamed() throws IOException {
    Path bad = rewrite((name, bytes) -> {
      if (name.startsWith("store/") && bytes.length > 100) {
        bytes[bytes.length / 2] ^= 0x5a;
      }
      return bytes;
    });
    Cli v = Cli.run("backup", "verify", bad.toString());
    assertThat(v.exit()).as(v.toString()).isEqualTo(1);
    assertThat(v.err()).contains("is corrupt: store/").contains("does not match its SHA-256 in the manifest");
  }

  @Test
  void flippedBytesInTheFileAreDetected() throws IOException {
    Path bad = dir.resolve("flipped.dsbak");
    byte[] raw = Files.readAllBytes(backup);
    for (int i = raw.length / 3; i < raw.length / 3 + 16; i++) {
      raw[i] ^= (byte) 0xff;
    }
    Files.write(bad, raw);
    Cli v = Cli.run("backup", "verify", bad.toString());
    assertThat(v.exit()).as(v.toString()).isEqualTo(1);
    assertThat(v.err()).contains("is corrupt: store/");
  }

  @Test
  void aTruncatedFileIsDetected() throws IOException {
    Path bad = dir.resolve("truncated.dsbak");
    byte[] raw = Files.readAllBytes(backup);
    Files.write(bad, java.util.Arrays.copyOf(raw, raw.length / 2));
    Cli v = Cli.run("backup", "verify", bad.toString());
    assertThat(v.exit()).as(v.toString()).isEqualTo(1);
    assertThat(v.err()).contains("is corrupt: archive is not a readable zip archive (truncated");
  }

  @Test
  void anEditedManifestIsDetected() throws IOException {
    // Edited together with its checksum: caught by comparing the manifest with the store.
    Path consistent = rewriteManifest(text -> text.replaceFirst("revision: (\\d+)", "revision: 99999"), true);
    Cli v = Cli.run("backup", "verify", consistent.toString());
    assertThat(v.exit()).as(v.toString()).isEqualTo(1);
    assertThat(v.err()).contains("manifest.txtpb revision is 99999 but the store holds");

    Path edited = rewriteManifest(text -> text.replaceFirst("incarnation: 1", "incarnation: 7"), false);
    v = Cli.run("backup", "verify", edited.toString());
    assertThat(v.exit()).as(v.toString()).isEqualTo(1);
    assertThat(v.err()).contains("manifest.txtpb does not match its SHA-256 in manifest.sha256");

    Path garbled = rewriteManifest(text -> text.replace("cluster_id:", "cluster id"), true);
    v = Cli.run("backup", "verify", garbled.toString());
    assertThat(v.exit()).as(v.toString()).isEqualTo(1);
    assertThat(v.err()).contains("manifest.txtpb is not parseable");

    Path missing = rewrite((name, bytes) -> name.equals(BackupArchive.MANIFEST) ? null : bytes);
    v = Cli.run("backup", "verify", missing.toString());
    assertThat(v.exit()).as(v.toString()).isEqualTo(1);
    assertThat(v.err()).contains("manifest.txtpb is missing");
  }

  @Test
  void aMissingFileIsBadUsage() {
    Cli v = Cli.run("backup", "verify", dir.resolve("nope.dsbak").toString());
    assertThat(v.exit()).isEqualTo(2);
    assertThat(v.err()).contains("nope.dsbak does not exist");
  }

  @Test
  void restoreRefusesANonEmptyDataDirectoryAndNamesIt() throws IOException {
    Path data = dir.resolve("data");
    Files.createDirectories(data.resolve("raft"));
    Path conf = configWithDataDir(data);
    Cli r = Cli.run("restore", backup.toString(), "-c", conf.toString());
    assertThat(r.exit()).as(r.toString()).isEqualTo(2);
    assertThat(r.err()).contains("data directory " + data + " is not empty (holds raft)").contains("--force");
    assertThat(data.resolve("raft")).isEmptyDirectory();

    Cli forced = Cli.run("restore", backup.toString(), "-c", conf.toString(), "--force");
    assertThat(forced.exit()).as(forced.toString()).isZero();
    assertThat(forced.out()).contains("(backup had incarnation 1)");
    assertThat(forced.err()).contains("100%");
    try (var files = Files.walk(data.resolve("raft"))) {
      assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.matches("snapshot\\.1_\\d+"))
          .contains("raft-meta");
    }
  }

  @Test
  void restoreOfACorruptBackupLeavesTheDataDirectoryEmpty() throws IOException {
    Path bad = rewrite((name, bytes) -> {
      if (name.startsWith("store/") && bytes.length > 100) {
        bytes[10] ^= 1;
      }
      return bytes;
    });
    Path data = dir.resolve("data");
    Cli r = Cli.run("restore", bad.toString(), "-c", configWithDataDir(data).toString(), "--quiet");
    assertThat(r.exit()).as(r.toString()).isEqualTo(1);
    assertThat(r.err()).contains("is corrupt: store/").contains("nothing was restored").doesNotContain("%");
    try (var left = Files.list(data)) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void commandLineErrorsNameWhatIsWrong() throws IOException {
    Path conf = configWithDataDir(dir.resolve("data"));
    Cli missing = Cli.run("restore", dir.resolve("missing.dsbak").toString(), "-c", conf.toString());
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err()).contains("missing.dsbak does not exist");

    Cli noConfig = Cli.run("restore", backup.toString(), "-c", dir.resolve("absent.conf").toString());
    assertThat(noConfig.exit()).isEqualTo(2);
    assertThat(noConfig.err()).contains("absent.conf");

    Path wrong = dir.resolve("wrong.conf");
    Files.writeString(wrong, Files.readString(config) + "Datastore-Raft-Port=not-a-port\n");
    Cli badConfig = Cli.run("restore", backup.toString(), "-c", wrong.toString());
    assertThat(badConfig.exit()).as(badConfig.toString()).isEqualTo(2);
    assertThat(badConfig.err()).contains("Datastore-Raft-Port");

    Path running = dir.resolve("running");
    Path lock = running.resolve("raft").resolve(cluster0GroupDir()).resolve("in_use.lock");
    Files.createDirectories(lock.getParent());
    try (var ch = java.nio.channels.FileChannel.open(lock, java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.WRITE); var held = ch.lock()) {
      Cli inUse = Cli.run("restore", backup.toString(), "-c", configWithDataDir(running).toString(), "--force");
      assertThat(inUse.exit()).as(inUse.toString()).isEqualTo(2);
      assertThat(inUse.err()).contains("a datastore node is running on this data directory").contains("stop it first");
    }
    assertThat(lock).exists();

    Cli noOut = Cli.run("backup", "-c", config.toString());
    assertThat(noOut.exit()).isEqualTo(2);
    assertThat(noOut.err()).contains("give --out FILE");

    Cli exists = Cli.run("backup", "-c", config.toString(), "--out", backup.toString());
    assertThat(exists.exit()).isEqualTo(2);
    assertThat(exists.err()).contains("already exists").contains("--force");

    Cli noDir = Cli.run("backup", "-c", config.toString(), "--out", dir.resolve("no/such/dir/b.dsbak").toString());
    assertThat(noDir.exit()).isEqualTo(2);
    assertThat(noDir.err()).contains("does not exist; create it first");
  }

  /** The Raft group's directory name, as every LocalCluster node uses it. */
  private static String cluster0GroupDir() throws IOException {
    try (var dirs = Files.list(shared.resolve("cluster").resolve("n1").resolve("raft"))) {
      return dirs.filter(Files::isDirectory).findFirst().orElseThrow().getFileName().toString();
    }
  }

  private Path configWithDataDir(Path data) throws IOException {
    Path conf = dir.resolve("restore.conf");
    String text = Files.readString(config).replaceAll("(?m)^Datastore-Data-Dir=.*$",
        java.util.regex.Matcher.quoteReplacement("Datastore-Data-Dir=" + data));
    Files.writeString(conf, text);
    return conf;
  }

  private Path rewriteManifest(java.util.function.UnaryOperator<String> edit, boolean fixChecksum) throws IOException {
    String[] text = new String[1];
    Path edited = rewrite((name, bytes) -> {
      if (name.equals(BackupArchive.MANIFEST)) {
        text[0] = edit.apply(new String(bytes, StandardCharsets.UTF_8));
        return text[0].getBytes(StandardCharsets.UTF_8);
      }
      return bytes;
    });
    if (!fixChecksum) {
      return edited;
    }
    java.security.MessageDigest sha = BackupArchive.sha256();
    sha.update(text[0].getBytes(StandardCharsets.UTF_8));
    String sum = BackupArchive.hex(sha) + "\n";
    Path fixed = dir.resolve("fixed-" + edited.getFileName());
    copyZip(edited, fixed, (name, bytes) -> name.equals(BackupArchive.MANIFEST_SHA256)
        ? sum.getBytes(StandardCharsets.UTF_8) : bytes);
    return fixed;
  }

  private Path rewrite(BiFunction<String, byte[], byte[]> edit) throws IOException {
    Path out = Files.createTempFile(dir, "edited", ".dsbak");
    copyZip(backup, out, edit);
    return out;
  }

  /** Copies a zip entry by entry through {@code edit} (null drops the entry). */
  private static void copyZip(Path from, Path to, BiFunction<String, byte[], byte[]> edit) throws IOException {
    try (ZipFile in = new ZipFile(from.toFile()); OutputStream raw = Files.newOutputStream(to);
        ZipOutputStream out = new ZipOutputStream(raw)) {
      for (var entries = in.entries(); entries.hasMoreElements(); ) {
        ZipEntry e = entries.nextElement();
        byte[] bytes;
        try (InputStream s = in.getInputStream(e)) {
          bytes = edit.apply(e.getName(), s.readAllBytes());
        }
        if (bytes != null) {
          out.putNextEntry(new ZipEntry(e.getName()));
          out.write(bytes);
          out.closeEntry();
        }
      }
    }
  }
}
