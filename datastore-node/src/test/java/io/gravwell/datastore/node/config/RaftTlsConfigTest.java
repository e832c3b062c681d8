package io.gravwell.datastore.node.config;

import static io.gravwell.datastore.node.config.NodeConfigErrorsTest.errorOf;
import static io.gravwell.datastore.node.config.NodeConfigTestFiles.MINIMAL;
import static io.gravwell.datastore.node.config.NodeConfigTestFiles.minimalPlus;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Peer TLS keys: defaults that follow the client port's keys, and the rules between them. */
class RaftTlsConfigTest {

    private static NodeConfig parse(String text) {
        return NodeConfig.parse(text, "gravwell.conf", Map.of());
    }

    @Test
    void raftPortUsesTheClientPortsCertificateUnlessGivenItsOwn() {
        NodeConfig shared = parse(MINIMAL);
        assertThat(shared.raftTlsDisabled()).isFalse();
        assertThat(shared.raftCertificateFile()).contains(Path.of("/opt/gravwell/etc/cert.pem"));
        assertThat(shared.raftKeyFile()).contains(Path.of("/opt/gravwell/etc/key.pem"));
        assertThat(shared.raftCaFile()).isEmpty();

        NodeConfig own = parse(minimalPlus("Raft-Certificate-File=/etc/r.pem\nRaft-Key-File=/etc/r.key\nRaft-CA-File=/etc/ca.pem"));
        assertThat(own.raftCertificateFile()).contains(Path.of("/etc/r.pem"));
        assertThat(own.raftKeyFile()).contains(Path.of("/etc/r.key"));
        assertThat(own.raftCaFile()).contains(Path.of("/etc/ca.pem"));
    }

    @Test
    void insecureRaftFollowsTheClientPortsSwitchUnlessSetOnItsOwn() {
        String plain = MINIMAL + "Datastore-Insecure-Disable-TLS=true\n";
        assertThat(parse(plain).raftTlsDisabled()).isTrue();
        assertThat(parse(plain + "Datastore-Raft-Insecure-Disable-TLS=false\n").raftTlsDisabled()).isFalse();
        assertThat(parse(minimalPlus("Datastore-Raft-Insecure-Disable-TLS=true")).raftTlsDisabled()).isTrue();
    }

    @Test
    void aRaftKeyWithoutItsCertificateIsRefused() {
        assertThat(errorOf(minimalPlus("Raft-Key-File=/etc/r.key")))
                .startsWith("gravwell.conf: set both Raft-Certificate-File and Raft-Key-File, or neither")
                .contains("Raft-Key-File from gravwell.conf:9", "Raft-Certificate-File from default");
    }

    @Test
    void peerTlsWithoutAnyCertificateNamesTheKeysToSet() {
        String noCerts = MINIMAL.replace("Certificate-File=/opt/gravwell/etc/cert.pem\n", "")
                .replace("Key-File=/opt/gravwell/etc/key.pem\n", "")
                + "Datastore-Insecure-Disable-TLS=true\nDatastore-Raft-Insecure-Disable-TLS=false\n";
        assertThat(errorOf(noCerts))
                .startsWith("gravwell.conf: missing \"Raft-Certificate-File\": peer TLS on the Raft port needs a certificate")
                .contains("unless Datastore-Raft-Insecure-Disable-TLS=true");
    }
}
