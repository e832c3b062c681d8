package io.gravwell.datastore.node.cli;

import io.gravwell.datastore.protocol.tls.CertificateAuthority;
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
    description = {
        "Write a certificate and key (PEM). Three modes:",
        "  (default)               a self-signed certificate, for labs and tests;",
        "  --ca                    a cluster CA, to sign the nodes' peer (Raft) certificates;",
        "  --ca-cert F --ca-key F  a node certificate signed by that CA (chain file: node, then CA).",
        "A node certificate must name the host of the node's Datastore-Peer Raft address (--host)."},
    footer = {"", "Example:",
        "  datastore gencert --ca --cert ca.pem --key ca-key.pem",
        "  datastore gencert --ca-cert ca.pem --ca-key ca-key.pem --host 10.0.0.11 --cert ds1.pem --key ds1-key.pem"})
final class GenCertCommand implements Callable<Integer> {
  @Option(names = "--cert", required = true, description = "certificate file to write")
  Path cert;

  @Option(names = "--key", required = true, description = "private key file to write (mode 0600)")
  Path key;

  @Option(names = "--host", split = ",", description = "DNS names or IPs for subjectAltName (localhost and 127.0.0.1 are always added)")
  List<String> hosts = List.of();

  @Option(names = "--days", defaultValue = "825", description = "validity in days (default: ${DEFAULT-VALUE})")
  int days;

  @Option(names = "--ca", description = "create a CA certificate instead (--host is its name)")
  boolean ca;

  @Option(names = "--ca-cert", description = "sign with this CA certificate (needs --ca-key)")
  Path caCert;

  @Option(names = "--ca-key", description = "the CA's private key")
  Path caKey;

  @Option(names = "--force", description = "overwrite existing files")
  boolean force;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if ((caCert == null) != (caKey == null)) {
      throw new CliException(DatastoreCommand.EXIT_USAGE, "--ca-cert and --ca-key go together");
    }
    if (ca && caCert != null) {
      throw new CliException(DatastoreCommand.EXIT_USAGE, "--ca creates a CA; --ca-cert/--ca-key sign with one: pick one");
    }
    if (!force && (Files.exists(cert) || Files.exists(key))) {
      throw new CliException(DatastoreCommand.EXIT_USAGE, cert + " or " + key + " already exists; use --force to overwrite");
    }
    Duration validity = Duration.ofDays(days);
    if (ca) {
      CertificateAuthority.create(cert, key, hosts.isEmpty() ? "datastore cluster CA" : hosts.get(0), validity);
    } else if (caCert != null) {
      CertificateAuthority.load(caCert, caKey).issue(cert, key, hosts, validity);
    } else {
      SelfSignedCertificates.generate(cert, key, hosts, validity);
    }
    spec.commandLine().getOut().printf("wrote %s and %s%n", cert, key);
    spec.commandLine().getOut().flush();
    return DatastoreCommand.EXIT_OK;
  }
}
