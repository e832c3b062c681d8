package io.gravwell.datastore.chaos.docker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a command on the machine that hosts the containers (iptables, the docker CLI). */
public final class Host {
  private Host() {}

  public record Result(int exitCode, String output) {
    public boolean ok() {
      return exitCode == 0;
    }
  }

  /** Runs and waits up to 60 s; never throws for a non-zero exit (callers decide). */
  public static Result run(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Result(-1, "timed out: " + String.join(" ", command));
      }
      return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8).trim());
    } catch (IOException e) {
      return new Result(-1, "cannot run " + command.get(0) + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(-1, "interrupted: " + String.join(" ", command));
    }
  }

  public static Result run(String... command) {
    return run(List.of(command));
  }

  /** Runs and fails loudly, naming the command, on a non-zero exit. */
  public static String check(String... command) {
    Result r = run(command);
    if (!r.ok()) {
      throw new IllegalStateException(String.join(" ", command) + " failed (" + r.exitCode() + "): " + r.output());
    }
    return r.output();
  }
}
