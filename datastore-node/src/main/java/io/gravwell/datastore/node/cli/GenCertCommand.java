package io.gravwell.datastore.node.cli;

import io.gravwell.datastore.protocol.tls.SelfSignedCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "gencert", mixinStandardHelpOptions = true,
    description = "Write a self-signed certificate and key (PEM) for a node's client port; for labs and tests.")
final class GenCertCommand implements Callable<Integer> {
  @Option(names = "--cert", required = true, description = "certificate file to write")
  Path cert;

  @Option(names = "--key", required = true, description = "private key file to write (mode 0600)")
  Path key;

  @Option(names = "--host", split = ",", description = "DNS names or IPs for subjectAltName (localhost and 127.0.0.1 are always added)")
  List<String> hosts = List.of();

  @Option(names = "--days", defaultValue = "825", description = "validity in days (default: ${DEFAULT-VALUE})")
  int days;

  @Option(names = "--force", description = "overwrite existing files")
  boolean force;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (!force && (Files.exists(cert) || Files.exists(key))) {
      throw new CliException(DatastoreCommand.EXIT_USAGE, cert + " or " + key + " already exists; use --force to overwrite");
    }
    SelfSignedCertificates.generate(cert, key, hosts, Duration.ofDays(days));
    spec.commandLine().getOut().printf("wrote %s and %s%n", cert, key);
    spec.commandLine().getOut().flush();
    return DatastoreCommand.EXIT_OK;
  }
}
