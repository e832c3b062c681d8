package io.gravwell.datastore.ops;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a real command and keeps its exit code and merged output, for tests of scripts and packages. */
record Shell(int exitCode, String output) {
  /** Surefire runs with the module directory (ops/) as working directory. */
  static final Path OPS = Path.of("").toAbsolutePath();

  static Shell run(List<String> command) {
    return run(command, Map.of());
  }

  static Shell run(List<String> command, Map<String, String> env) {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(env);
    try {
      Process process = builder.start();
      byte[] out = process.getInputStream().readAllBytes();
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("timed out: " + command);
      }
      return new Shell(process.exitValue(), new String(out, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new AssertionError("cannot run " + command + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  static boolean onPath(String tool) {
    return run(List.of("sh", "-c", "command -v " + tool)).exitCode() == 0;
  }
}
