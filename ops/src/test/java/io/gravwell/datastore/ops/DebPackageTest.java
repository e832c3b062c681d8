package io.gravwell.datastore.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The .deb that `mvn package` built, read with dpkg-deb: control fields, file list, modes, conffiles,
 * maintainer scripts, and the unpacked launcher running the packaged jar. Runs after package.
 */
@Tag("package")
class DebPackageTest {
  static final Path DEB = Path.of(System.getProperty("deb.file", "target/missing.deb"));

  @TempDir
  static Path unpacked;

  @BeforeAll
  static void unpack() {
    assertThat(DEB).as("built by mvn package (jdeb)").exists();
    Shell x = Shell.run(List.of("dpkg-deb", "-x", DEB.toString(), unpacked.toString()));
    assertThat(x.exitCode()).as(x.output()).isZero();
  }

  @Test
  void controlFieldsDescribeAnArchitectureIndependentJavaPackage() {
    Shell info = Shell.run(List.of("dpkg-deb", "--info", DEB.toString()));
    assertThat(info.exitCode()).as(info.output()).isZero();
    assertThat(info.output())
        .contains(" Package: gravwell-datastore\n", " Architecture: all\n", " Section: database\n")
        .containsPattern(" Version: 0\\.1\\.0[~+.0-9A-Za-z]*\\n")
        .containsPattern(" Depends: [^\\n]*openjdk-17-jre-headless[^\\n]*adduser")
        .contains(" Maintainer: ")
        // maintainer scripts and the config file kept across upgrades
        .contains(" postinst", " prerm", " postrm", " conffiles");
    Shell listed = Shell.run(List.of("dpkg-deb", "--info", DEB.toString(), "conffiles"));
    assertThat(listed.output().strip()).isEqualTo("/opt/gravwell/etc/datastore.conf");
  }

  @Test
  void filesLandInTheGravwellLayoutWithTheirModes() {
    Shell contents = Shell.run(List.of("dpkg-deb", "--contents", DEB.toString()));
    assertThat(contents.exitCode()).as(contents.output()).isZero();
    String list = contents.output();
    assertThat(list)
        .containsPattern("-rwxr-xr-x root/root +\\d+ .* \\./opt/gravwell/bin/datastore\\n")
        .containsPattern("-rwxr-xr-x root/root +\\d+ .* \\./opt/gravwell/bin/datastore-backup\\n")
        .containsPattern("-rwxr-xr-x root/root +\\d+ .* \\./opt/gravwell/bin/datastore-backup-retention\\n")
        .containsPattern("-rw-r--r-- root/root +\\d{7,} .* \\./opt/gravwell/lib/datastore/datastore\\.jar\\n")
        .containsPattern("-rw-r----- root/root +\\d+ .* \\./opt/gravwell/etc/datastore\\.conf\\n")
        .containsPattern("-rw-r--r-- root/root +\\d+ .* \\./lib/systemd/system/gravwell_datastore\\.service\\n")
        .containsPattern("\\./lib/systemd/system/gravwell_datastore-backup\\.service\\n")
        .containsPattern("\\./lib/systemd/system/gravwell_datastore-backup\\.timer\\n")
        .containsPattern("\\./opt/gravwell/share/doc/gravwell-datastore/operations\\.md\\n")
        .containsPattern("\\./opt/gravwell/share/doc/gravwell-datastore/examples/datastore-backup\\.cron\\n");
    // Data and backups are made by postinst for the service user, never shipped (an upgrade must not touch them).
    assertThat(list).doesNotContain("./opt/gravwell/datastore/", "./opt/gravwell/backups/");
  }

  @Test
  void maintainerScriptsCreateTheUserAndNeverDeleteData() throws Exception {
    Path control = Files.createTempDirectory("deb-control");
    assertThat(Shell.run(List.of("dpkg-deb", "-e", DEB.toString(), control.toString())).exitCode()).isZero();
    for (String script : List.of("postinst", "prerm", "postrm")) {
      Shell syntax = Shell.run(List.of("sh", "-n", control.resolve(script).toString()));
      assertThat(syntax.exitCode()).as(script + ": " + syntax.output()).isZero();
      assertThat(Files.isExecutable(control.resolve(script))).as(script).isTrue();
      assertThat(Files.readString(control.resolve(script))).doesNotContain("rm -rf");
    }
    assertThat(Files.readString(control.resolve("postinst")))
        .contains("adduser --system", "install -d -m 0750 -o gravwell -g gravwell /opt/gravwell/datastore");
  }

  @Test
  void thePackagedLauncherRunsThePackagedJar() {
    Shell help = Shell.run(List.of(unpacked.resolve("opt/gravwell/bin/datastore").toString(), "--help"));
    assertThat(help.exitCode()).as(help.output()).isZero();
    assertThat(help.output()).contains("serve", "gencert");
  }

  @Test
  void theExampleConfigIsInstalledAsTheConfig() throws Exception {
    assertThat(Files.readString(unpacked.resolve("opt/gravwell/etc/datastore.conf")))
        .isEqualTo(Files.readString(Shell.OPS.resolve("config/datastore.conf.example")));
  }
}
