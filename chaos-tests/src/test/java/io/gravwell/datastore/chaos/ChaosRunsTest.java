package io.gravwell.datastore.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.gravwell.datastore.chaos.run.ChaosRun;
import io.gravwell.datastore.chaos.run.RunCatalog;
import io.gravwell.datastore.chaos.run.RunSpec;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every nemesis against a real 3-node cluster in containers, with the register, set and sync checkers.
 * System properties: chaos.only=NAME[,NAME] (default: every run), chaos.seeds=N (seeds per run; the
 * chaos-long profile sets 5 and chaos.profile=long, which adds combined nemeses), chaos.seed=S (the first
 * seed; default random, always printed).
 */
@ExtendWith(DockerChaosExtension.class)
class ChaosRunsTest {
  private static final Path PROJECT = Path.of(System.getProperty("chaos.projectRoot", "..")).toAbsolutePath().normalize();
  private static final Path OUT = Path.of(System.getProperty("chaos.outputDir", "target/chaos"));

  @TestFactory
  Stream<DynamicTest> everyNemesis() {
    Set<String> only = Arrays.stream(System.getProperty("chaos.only", "").split(","))
        .map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
    int seeds = Integer.parseInt(System.getProperty("chaos.seeds", "1").isBlank() ? "1" : System.getProperty("chaos.seeds"));
    String fixed = System.getProperty("chaos.seed", "");
    long first = fixed.isBlank() ? new SecureRandom().nextLong() : Long.parseLong(fixed.trim());
    System.out.println("chaos runs: first seed " + first + " (reproduce with -Dchaos.seed=" + first + ")");
    List<DynamicTest> tests = new ArrayList<>();
    for (RunSpec spec : RunCatalog.runs("long".equals(System.getProperty("chaos.profile")))) {
      if (!only.isEmpty() && !only.contains(spec.name())) {
        continue;
      }
      for (int i = 0; i < seeds; i++) {
        long seed = first + i;
        tests.add(DynamicTest.dynamicTest(spec.name() + " seed " + seed, () -> {
          ChaosRun.Result r = ChaosRun.execute(spec, seed, PROJECT, OUT);
          Assumptions.assumeTrue(r.skipped() == null, () -> "SKIPPED " + spec.name() + ": " + r.skipped());
          assertThat(r.valid()).as("run %s seed %d (report in %s):%n%s", r.name(), r.seed(), r.dir(), r.summary())
              .isTrue();
        }));
      }
    }
    return tests.stream();
  }
}
