package io.gravwell.datastore.chaos;

import io.gravwell.datastore.chaos.docker.DockerEngine;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Skips the container runs LOUDLY where no Docker engine can run, and does Ryuk's job where one can:
 * removes every labelled container, network and firewall rule before the runs (a crashed run's
 * leftovers) and after them, failed or not; a shutdown hook covers a JVM killed mid-run.
 */
public final class DockerChaosExtension implements BeforeAllCallback, AfterAllCallback {
  private static volatile boolean hooked;

  @Override
  public void beforeAll(ExtensionContext context) {
    Optional<String> reason = DockerEngine.unavailableReason();
    if (reason.isPresent()) {
      String banner = "\n" + "#".repeat(100) + "\n#  CHAOS TESTS SKIPPED: " + reason.get()
          + "\n#  Nothing about fault tolerance was tested. On a Debian machine: sudo scripts/docker-setup.sh\n"
          + "#".repeat(100) + "\n";
      System.err.println(banner);
      System.out.println(banner);
      Assumptions.abort("CHAOS TESTS SKIPPED: " + reason.get());
    }
    if (!hooked) {
      hooked = true;
      Runtime.getRuntime().addShutdownHook(new Thread(DockerEngine::removeEverythingOurs, "chaos-cleanup"));
    }
    DockerEngine.removeEverythingOurs();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (DockerEngine.unavailableReason().isEmpty()) {
      DockerEngine.removeEverythingOurs();
    }
  }
}
