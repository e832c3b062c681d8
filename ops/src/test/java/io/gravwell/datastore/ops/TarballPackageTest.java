package io.gravwell.datastore.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plain tarball: same layout as /opt/gravwell, and its start script runs from wherever it is unpacked. */
@Tag("package")
class TarballPackageTest {
  static final Path TARBALL = Path.of(System.getProperty("tarball.file", "target/missing.tar.gz"));

  @TempDir
  Path dir;

  @Test
  void unpacksAnywhereAndTheStartScriptRuns() throws Exception {
    assertThat(TARBALL).as("built by mvn package (assembly)").exists();
    Shell list = Shell.run(List.of("tar", "-tvzf", TARBALL.toString()));
    assertThat(list.exitCode()).as(list.output()).isZero();
    assertThat(list.output())
        .containsPattern("-rwxr-xr-x .* gravwell-datastore-[^/]+/bin/datastore\\n")
        .containsPattern("-rwxr-xr-x .* gravwell-datastore-[^/]+/bin/datastore-backup-retention\\n")
        .contains("/lib/datastore/datastore.jar", "/etc/datastore.conf.example",
            "/systemd/gravwell_datastore.service", "/systemd/gravwell_datastore-backup.timer",
            "/cron/datastore-backup.cron", "/share/doc/gravwell-datastore/operations.md");

    assertThat(Shell.run(List.of("tar", "-xzf", TARBALL.toString(), "-C", dir.toString())).exitCode()).isZero();
    Path home;
    try (var top = Files.list(dir)) {
      home = top.findFirst().orElseThrow();
    }
    Shell help = Shell.run(List.of(home.resolve("bin/datastore").toString(), "gencert", "--help"));
    assertThat(help.exitCode()).as(help.output()).isZero();
    assertThat(help.output()).contains("--ca-cert");
  }
}
