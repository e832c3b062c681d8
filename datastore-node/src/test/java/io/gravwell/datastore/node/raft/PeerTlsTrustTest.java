package io.gravwell.datastore.node.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gravwell.datastore.node.config.NodeConfig;
import io.gravwell.datastore.protocol.tls.CertificateAuthority;
import io.gravwell.datastore.protocol.tls.SelfSignedCertificates;
import io.gravwell.datastore.protocol.tls.TlsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which CAs a node trusts for its peers, and the start-up errors when that cannot be decided safely. */
class PeerTlsTrustTest {
  @TempDir
  Path dir;

  private NodeConfig config(String extra) {
    return NodeConfig.parse("""
        [Global]
        Datastore-Node-Id=n1
        Datastore-Peer=n1,127.0.0.1:9406,127.0.0.1:9405
        Control-Auth=x
        Certificate-File=%s
        Key-File=%s
        %s
        """.formatted(dir.resolve("node.crt"), dir.resolve("node.key"), extra), "n1.conf", Map.of());
  }

  @Test
  void withoutACaFileTheSelfSignedEndOfTheChainIsTrusted() {
    CertificateAuthority ca = CertificateAuthority.create(dir.resolve("ca.crt"), dir.resolve("ca.key"), "ca",
        Duration.ofDays(1));
    ca.issue(dir.resolve("node.crt"), dir.resolve("node.key"), List.of("n1"), Duration.ofDays(1));
    assertThat(PeerTls.fromConfig(config("")).toString()).contains("trusting [CN=ca,O=Gravwell datastore]");

    SelfSignedCertificates.generate(dir.resolve("node.crt"), dir.resolve("node.key"), List.of("n1"), Duration.ofDays(1));
    assertThat(PeerTls.fromConfig(config("")).toString()).contains("trusting [CN=n1,O=Gravwell datastore (self-signed)]");
  }

  @Test
  void aChainNotEndingInARootNeedsAnExplicitCaFile() throws Exception {
    CertificateAuthority ca = CertificateAuthority.create(dir.resolve("ca.crt"), dir.resolve("ca.key"), "ca",
        Duration.ofDays(1));
    ca.issue(dir.resolve("node.crt"), dir.resolve("node.key"), List.of("n1"), Duration.ofDays(1));
    String leafOnly = Files.readString(dir.resolve("node.crt"));
    Files.writeString(dir.resolve("node.crt"), leafOnly.substring(0, leafOnly.indexOf("-----END CERTIFICATE-----") + 26));

    assertThatThrownBy(() -> PeerTls.fromConfig(config(""))).isInstanceOf(TlsException.class)
        .hasMessageContaining("does not end in a self-signed (CA) certificate")
        .hasMessageContaining("set Raft-CA-File");
    assertThat(PeerTls.fromConfig(config("Raft-CA-File=" + dir.resolve("ca.crt"))).toString()).contains("CN=ca");
  }

  @Test
  void plainTextOnlyWhenSwitchedOff() {
    assertThat(PeerTls.fromConfig(config("Datastore-Raft-Insecure-Disable-TLS=true"))).isNull();
  }
}
