package io.gravwell.datastore.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ops/backup: the retention script on a real directory, and the nightly backup script's order of work
 * (backup to a partial file, verify, publish, prune) with a stand-in `datastore` command.
 */
class BackupRetentionTest {
  private static final Path RETENTION = Shell.OPS.resolve("backup/datastore-backup-retention");
  private static final Path BACKUP = Shell.OPS.resolve("backup/datastore-backup");

  @TempDir
  Path dir;

  @Test
  void keepsTheNewestBackupsByTheirTimeAndNothingElseIsTouched() throws IOException {
    for (int day = 1; day <= 9; day++) {
      touch("datastore-2026110" + day + "T023000Z.backup");
    }
    touch("datastore-20261110T023000Z.backup");
    touch("notes.txt");
    touch(".datastore-20261111T023000Z.backup.partial");
    touch("datastore-latest.backup");
    Files.createDirectory(dir.resolve("datastore-20260101T000000Z.backup.d"));

    Shell r = Shell.run(List.of(RETENTION.toString(), dir.toString(), "3"));

    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(names()).containsExactlyInAnyOrder(
        "datastore-20261110T023000Z.backup", "datastore-20261109T023000Z.backup", "datastore-20261108T023000Z.backup",
        "notes.txt", ".datastore-20261111T023000Z.backup.partial", "datastore-latest.backup",
        "datastore-20260101T000000Z.backup.d");
    assertThat(r.output()).contains("deleted old backup " + dir.resolve("datastore-20261101T023000Z.backup"));

    // Fewer backups than KEEP: nothing to do.
    assertThat(Shell.run(List.of(RETENTION.toString(), dir.toString(), "5")).exitCode()).isZero();
    assertThat(names()).hasSize(7);
  }

  @Test
  void refusesSettingsThatWouldDeleteEverythingOrNothingSensible() throws IOException {
    touch("datastore-20261101T023000Z.backup");
    for (String keep : List.of("0", "-1", "ten", "")) {
      Shell r = Shell.run(List.of(RETENTION.toString(), dir.toString(), keep));
      assertThat(r.exitCode()).as("KEEP=%s", keep).isEqualTo(2);
      assertThat(r.output()).contains("KEEP must be");
    }
    assertThat(Shell.run(List.of(RETENTION.toString(), dir.resolve("missing").toString(), "3")).output())
        .contains("is not a directory");
    assertThat(names()).containsExactly("datastore-20261101T023000Z.backup");
  }

  @Test
  void aVerifiedBackupIsPublishedAndOldOnesPruned() throws IOException {
    touch("datastore-20201101T023000Z.backup");
    touch("datastore-20261102T023000Z.backup");
    Shell r = runBackup("ok", "2");
    assertThat(r.exitCode()).as(r.output()).isZero();
    List<String> names = names();
    assertThat(names).hasSize(2).contains("datastore-20261102T023000Z.backup")
        .noneMatch(n -> n.endsWith(".partial"));
    String fresh = names.stream().filter(n -> !n.equals("datastore-20261102T023000Z.backup")).findFirst().orElseThrow();
    assertThat(fresh).matches("datastore-\\d{8}T\\d{6}Z\\.backup");
    assertThat(Files.readString(dir.resolve(fresh))).isEqualTo("archive\n");
    assertThat(Files.readString(dir.resolve("calls.log")))
        .contains("backup --out " + dir + "/.datastore-", "-c /etc/test.conf", "backup verify " + dir + "/.datastore-");
  }

  @Test
  void aBackupThatDoesNotVerifyIsRemovedAndOlderOnesKept() throws IOException {
    touch("datastore-20261101T023000Z.backup");
    Shell r = runBackup("corrupt", "1");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.output()).contains("does not verify");
    assertThat(names()).containsExactlyInAnyOrder("datastore-20261101T023000Z.backup");
  }

  /** A stand-in for `datastore backup`: writes an archive, and verifies it unless told it is corrupt. */
  private Shell runBackup(String mode, String keep) throws IOException {
    Path bin = Files.createTempDirectory("fake-datastore");
    Path fake = bin.resolve("datastore");
    Path log = dir.resolve("calls.log");
    Files.writeString(fake, """
        #!/bin/sh
        echo "$*" >> %s
        if [ "$1 $2" = "backup --out" ]; then echo archive > "$3"; exit 0; fi
        if [ "$1 $2" = "backup verify" ]; then [ "%s" = ok ]; exit $?; fi
        exit 64
        """.formatted(log, mode));
    Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
    // The real script calls the retention script beside it, as installed.
    Files.copy(BACKUP, bin.resolve("datastore-backup"));
    Files.copy(RETENTION, bin.resolve("datastore-backup-retention"));
    Shell r = Shell.run(List.of(bin.resolve("datastore-backup").toString()),
        Map.of("BACKUP_DIR", dir.toString(), "BACKUP_KEEP", keep, "DATASTORE_CONF", "/etc/test.conf"));
    return r;
  }

  private void touch(String name) throws IOException {
    Files.writeString(dir.resolve(name), name);
  }

  private List<String> names() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> !n.equals("calls.log")).toList();
    }
  }
}
