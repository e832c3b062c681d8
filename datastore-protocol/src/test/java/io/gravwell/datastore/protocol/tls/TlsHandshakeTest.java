package io.gravwell.datastore.protocol.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.ssl.SslContext;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.util.io.pem.PemObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Real TLS handshakes over loopback sockets. */
class TlsHandshakeTest {
    @TempDir
    Path dir;

    private Path cert;
    private Path key;

    private SslContext generatedServer(SelfSignedCertificates.KeyType type, List<String> names) {
        cert = dir.resolve("cert.pem");
        key = dir.resolve("key.pem");
        SelfSignedCertificates.generate(cert, key, names, Duration.ofDays(1), type);
        return SslContexts.server(cert, key);
    }

    @ParameterizedTest
    @EnumSource(SelfSignedCertificates.KeyType.class)
    void clientTrustingTheCertificateConnects(SelfSignedCertificates.KeyType type) throws Exception {
        try (EchoServer server = new EchoServer(generatedServer(type, List.of()))) {
            assertThat(server.roundTrip(SslContexts.client(cert), "127.0.0.1", "ping")).isEqualTo("ping over TLSv1.3");
            assertThat(server.roundTrip(SslContexts.client(cert), "localhost", "pong")).startsWith("pong over");
        }
    }

    @Test
    void clientTrustingAnotherCertificateIsRejected() throws Exception {
        Path otherCert = dir.resolve("other-cert.pem");
        SelfSignedCertificates.generate(otherCert, dir.resolve("other-key.pem"), List.of(), Duration.ofDays(1));
        try (EchoServer server = new EchoServer(generatedServer(SelfSignedCertificates.KeyType.EC_P256, List.of()))) {
            assertThatThrownBy(() -> server.roundTrip(SslContexts.client(otherCert), "127.0.0.1", "ping"))
                    .hasCauseInstanceOf(SSLHandshakeException.class);
        }
    }

    @Test
    void clientTrustingTheDefaultStoreRejectsASelfSignedServer() throws Exception {
        try (EchoServer server = new EchoServer(generatedServer(SelfSignedCertificates.KeyType.EC_P256, List.of()))) {
            assertThatThrownBy(() -> server.roundTrip(SslContexts.systemTrustClient(), "127.0.0.1", "ping"))
                    .hasCauseInstanceOf(SSLHandshakeException.class);
        }
    }

    @Test
    void hostNameIsVerifiedAgainstTheSubjectAltNames() throws Exception {
        try (EchoServer server = new EchoServer(generatedServer(
                SelfSignedCertificates.KeyType.EC_P256, List.of("db1.example.com", "10.1.2.3")))) {
            assertThat(server.roundTrip(SslContexts.client(cert), "db1.example.com", "ping")).startsWith("ping");
            assertThatThrownBy(() -> server.roundTrip(SslContexts.client(cert), "db2.example.com", "ping"))
                    .hasCauseInstanceOf(SSLHandshakeException.class);
        }
    }

    @Test
    void insecureClientAcceptsAnything() throws Exception {
        try (EchoServer server = new EchoServer(generatedServer(SelfSignedCertificates.KeyType.EC_P256, List.of()))) {
            assertThat(server.roundTrip(SslContexts.insecureClient(), "somewhere.else", "ping")).startsWith("ping over");
        }
    }

    @ParameterizedTest
    @EnumSource(SelfSignedCertificates.KeyType.class)
    void traditionalPkcs1AndSec1KeysWork(SelfSignedCertificates.KeyType type) throws Exception {
        generatedServer(type, List.of());
        Path traditional = dir.resolve("traditional-key.pem");
        Files.writeString(traditional, traditionalPem(TlsFiles.readPrivateKey(key)));
        assertThat(Files.readString(traditional)).startsWith(type == SelfSignedCertificates.KeyType.RSA_2048
                ? "-----BEGIN RSA PRIVATE KEY-----" : "-----BEGIN EC PRIVATE KEY-----");
        try (EchoServer server = new EchoServer(SslContexts.server(cert, traditional))) {
            assertThat(server.roundTrip(SslContexts.client(cert), "localhost", "ping")).startsWith("ping");
        }
    }

    /**
     * PKCS#1 for RSA; for EC the SEC1 form openssl writes, with the curve inside the key (the JDK's PKCS#8
     * encoding keeps it outside) and, to cover that case too, without the optional public key.
     */
    private static String traditionalPem(PrivateKey privateKey) throws Exception {
        PrivateKeyInfo info = PrivateKeyInfo.getInstance(privateKey.getEncoded());
        PemObject pem;
        if (privateKey.getAlgorithm().equals("EC")) {
            ECPrivateKey inner = ECPrivateKey.getInstance(info.parsePrivateKey());
            pem = new PemObject("EC PRIVATE KEY", new ECPrivateKey(256, inner.getKey(),
                    info.getPrivateKeyAlgorithm().getParameters()).getEncoded());
        } else {
            pem = new PemObject("RSA PRIVATE KEY", info.parsePrivateKey().toASN1Primitive().getEncoded());
        }
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(pem);
        }
        return text.toString();
    }
}
