package io.gravwell.datastore.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.gravwell.datastore.protocol.tls.TlsFiles;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** `datastore gencert`: a CA, node certificates it signs, and the usage errors. */
class GenCertCommandTest {
  @TempDir
  Path dir;

  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cl = DatastoreCommand.commandLine();
    cl.setOut(new PrintWriter(new StringWriter()));
    cl.setErr(new PrintWriter(err));
    return cl.execute(args);
  }

  @Test
  void aCaSignsNodeCertificatesThatNameTheirHost() throws Exception {
    Path ca = dir.resolve("ca.pem");
    Path caKey = dir.resolve("ca-key.pem");
    Path node = dir.resolve("ds1.pem");
    Path nodeKey = dir.resolve("ds1-key.pem");
    assertThat(run("gencert", "--ca", "--cert", ca.toString(), "--key", caKey.toString())).isZero();
    assertThat(run("gencert", "--ca-cert", ca.toString(), "--ca-key", caKey.toString(), "--host", "10.0.0.11,ds1.example",
        "--cert", node.toString(), "--key", nodeKey.toString())).isZero();

    X509Certificate authority = TlsFiles.readCertificates(ca).get(0);
    assertThat(authority.getBasicConstraints()).isZero();
    List<X509Certificate> chain = TlsFiles.readCertificates(node);
    assertThat(chain).hasSize(2);
    assertThat(chain.get(1)).isEqualTo(authority);
    chain.get(0).verify(authority.getPublicKey());
    List<String> names = chain.get(0).getSubjectAlternativeNames().stream().map(n -> String.valueOf(n.get(1))).toList();
    assertThat(names).contains("10.0.0.11", "ds1.example", "127.0.0.1");
    assertThat(chain.get(0).getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(nodeKey))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(caKey))).isEqualTo("rw-------");
  }

  @Test
  void signingWithANodeCertificateOrHalfACaIsAUsageError() {
    Path self = dir.resolve("self.pem");
    Path selfKey = dir.resolve("self-key.pem");
    assertThat(run("gencert", "--cert", self.toString(), "--key", selfKey.toString())).isZero();
    assertThat(run("gencert", "--ca-cert", self.toString(), "--ca-key", selfKey.toString(),
        "--cert", dir.resolve("x.pem").toString(), "--key", dir.resolve("x-key.pem").toString())).isEqualTo(2);
    assertThat(err.toString()).contains("is not a CA certificate", "gencert --ca");
    assertThat(run("gencert", "--ca-cert", self.toString(),
        "--cert", dir.resolve("y.pem").toString(), "--key", dir.resolve("y-key.pem").toString())).isEqualTo(2);
    assertThat(err.toString()).contains("--ca-cert and --ca-key go together");
    assertThat(dir.resolve("x.pem")).doesNotExist();
  }
}
