package io.gravwell.datastore.node.metrics;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Finds Debian's prometheus and promtool and runs them; tests skip loudly when they are missing. */
public final class PrometheusTools {
  /** Surefire runs with the module directory as working directory. */
  public static final Path OPS = Path.of("..", "ops", "prometheus").toAbsolutePath().normalize();
  public static final Path RULES = OPS.resolve("datastore-alerts.yml");
  public static final Path DASHBOARDS = Path.of("..", "grafana", "dashboards").toAbsolutePath().normalize();

  private PrometheusTools() {}

  public record Result(int exitCode, String output) {}

  public static Path require(String tool) {
    Optional<Path> found = find(tool);
    if (found.isEmpty()) {
      String banner = "\n" + "!".repeat(100) + "\n!!! SKIPPED: '" + tool + "' is not installed, so the Prometheus"
          + " checks did NOT run.\n!!! Install it with: apt-get install -y prometheus   (CI's .ci/run does)\n"
          + "!".repeat(100) + "\n";
      System.err.println(banner);
      System.out.println(banner);
    }
    assumeTrue(found.isPresent(), tool + " is not installed (apt-get install -y prometheus)");
    return found.get();
  }

  public static Optional<Path> find(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
      Path p = Path.of(dir, tool);
      if (Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  public static Result run(Path dir, String stdin, String... command) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    Process p = pb.start();
    try (var in = p.getOutputStream()) {
      if (stdin != null) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
    }
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException(String.join(" ", command) + " did not finish");
    }
    return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }

  public static List<Path> dashboards() throws IOException {
    List<Path> out = new ArrayList<>();
    try (var files = Files.list(DASHBOARDS)) {
      files.filter(f -> f.toString().endsWith(".json")).sorted().forEach(out::add);
    }
    return out;
  }
}
