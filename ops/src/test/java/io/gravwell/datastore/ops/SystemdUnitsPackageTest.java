package io.gravwell.datastore.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `systemd-analyze verify` on the units as the .deb installs them. The machine runs without systemd as
 * PID 1, so verification happens against a root directory: the unpacked package (whose ExecStart
 * programs must exist there) plus the host's stock units (the targets the units depend on). Any warning
 * counts as a failure, since systemd-analyze exits 0 on unknown keys and bad values.
 */
@Tag("package")
class SystemdUnitsPackageTest {
  @TempDir
  static Path root;

  @BeforeAll
  static void installIntoRoot() throws IOException {
    boolean available = Shell.onPath("systemd-analyze");
    if (!available && System.getenv("CI") != null) {
      throw new AssertionError("systemd-analyze is missing: .ci/run installs Debian's systemd package");
    }
    if (!available) {
      System.err.println("\n*** SKIPPING systemd unit checks: systemd-analyze not found (apt-get install systemd) ***\n");
    }
    assumeTrue(available, "systemd-analyze not installed");
    Path units = root.resolve("lib/systemd/system");
    Files.createDirectories(units);
    try (Stream<Path> stock = Files.list(Path.of("/lib/systemd/system"))) {
      for (Path unit : stock.filter(Files::isRegularFile).toList()) {
        Files.copy(unit, units.resolve(unit.getFileName()));
      }
    }
    Shell x = Shell.run(List.of("dpkg-deb", "-x", DebPackageTest.DEB.toString(), root.toString()));
    assertThat(x.exitCode()).as(x.output()).isZero();
  }

  @Test
  void theNodeServiceVerifiesCleanly() {
    verify("gravwell_datastore.service");
  }

  @Test
  void theBackupServiceAndTimerVerifyCleanly() {
    verify("gravwell_datastore-backup.service", "gravwell_datastore-backup.timer");
  }

  @Test
  void verificationCatchesAMistake() throws IOException {
    Path unit = root.resolve("lib/systemd/system/broken_datastore.service");
    Files.writeString(unit, Files.readString(root.resolve("lib/systemd/system/gravwell_datastore.service"))
        .replace("Restart=on-failure", "Restart=sometimes"));
    Shell r = analyze("broken_datastore.service");
    assertThat(r.output()).contains("Failed to parse service restart specifier");
  }

  @Test
  void theNodeServiceIsHardened() throws IOException {
    String unit = Files.readString(root.resolve("lib/systemd/system/gravwell_datastore.service"));
    assertThat(unit).contains("User=gravwell", "Restart=on-failure", "LimitNOFILE=65536", "NoNewPrivileges=yes",
        "ProtectSystem=strict", "ReadWritePaths=/opt/gravwell/datastore", "CapabilityBoundingSet=\n",
        // The class-data archive must sit where the hardened unit may write.
        "Environment=\"DATASTORE_CDS_DIR=/opt/gravwell/datastore/cds\"",
        "ExecStart=/opt/gravwell/bin/datastore serve -c /opt/gravwell/etc/datastore.conf");
  }

  private static void verify(String... units) {
    Shell r = analyze(units);
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.output()).as("systemd-analyze verify output").isEmpty();
  }

  private static Shell analyze(String... units) {
    List<String> command = new ArrayList<>(List.of("systemd-analyze", "verify", "--root=" + root));
    for (String unit : units) {
      command.add("/lib/systemd/system/" + unit);
    }
    return Shell.run(command);
  }
}
