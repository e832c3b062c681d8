package io.gravwell.datastore.protocol.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringWriter;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsFilesTest {
    @TempDir
    Path dir;

    private Path cert;
    private Path key;
    private X509Certificate generated;

    @BeforeEach
    void generate() {
        cert = dir.resolve("certs/cert.pem");
        key = dir.resolve("certs/key.pem");
        generated = SelfSignedCertificates.generate(cert, key, List.of("db1.example.com", "10.1.2.3", "fd00::1"),
                Duration.ofDays(30));
    }

    @Test
    void generatedCertificateHasTheNamesAndValidity() throws Exception {
        assertThat(generated.getSubjectAlternativeNames()).extracting(l -> (Object) l.get(1)).containsExactly(
                "db1.example.com", "10.1.2.3", "fd00:0:0:0:0:0:0:1", "localhost", "127.0.0.1");
        assertThat(generated.getNotAfter().toInstant()).isBetween(
                Instant.now().plus(Duration.ofDays(29)), Instant.now().plus(Duration.ofDays(31)));
        assertThat(generated.getPublicKey().getAlgorithm()).isEqualTo("EC");
        assertThat(TlsFiles.readCertificates(cert)).containsExactly(generated);
        assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----");
    }

    @Test
    void keyFileIsOwnerOnly() throws Exception {
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cert))).isEqualTo("rw-r--r--");
        }
        assertThat(Files.list(cert.getParent())).hasSize(2); // no temporary files left behind
    }

    @Test
    void badNamesAreRejected() {
        assertThatThrownBy(() -> SelfSignedCertificates.generate(cert, key, List.of("bad name"), Duration.ofDays(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bad name");
    }

    @Test
    void missingFile() {
        Path missing = dir.resolve("missing.pem");
        assertThatThrownBy(() -> SslContexts.server(missing, key))
                .isInstanceOf(TlsException.class)
                .hasMessage("certificate file " + missing + " does not exist");
        assertThatThrownBy(() -> SslContexts.server(cert, missing))
                .isInstanceOf(TlsException.class)
                .hasMessage("private key file " + missing + " does not exist");
        assertThatThrownBy(() -> SslContexts.client(missing))
                .isInstanceOf(TlsException.class)
                .hasMessage("certificate file " + missing + " does not exist");
        assertThatThrownBy(() -> TlsFiles.readCertificates(dir))
                .isInstanceOf(TlsException.class)
                .hasMessage("certificate file " + dir + " is not a regular file");
    }

    @Test
    void swappedFilesAreExplained() {
        assertThatThrownBy(() -> SslContexts.server(key, cert))
                .isInstanceOf(TlsException.class)
                .hasMessage("certificate file " + key + " contains no certificate but a private key"
                        + " (are the certificate and key files swapped?)");
        assertThatThrownBy(() -> TlsFiles.readPrivateKey(cert))
                .isInstanceOf(TlsException.class)
                .hasMessage("private key file " + cert + " contains no private key but a certificate"
                        + " (are the certificate and key files swapped?)");
        assertThatThrownBy(() -> SslContexts.client(key))
                .isInstanceOf(TlsException.class)
                .hasMessageContaining(key.toString()).hasMessageContaining("no certificate");
    }

    @Test
    void notPemAtAll() throws Exception {
        Path der = dir.resolve("cert.der");
        Files.write(der, generated.getEncoded());
        assertThatThrownBy(() -> TlsFiles.readCertificates(der))
                .isInstanceOf(TlsException.class)
                .hasMessage("certificate file " + der + " contains no PEM data (is it DER or empty?)");
        Path odd = dir.resolve("odd.pem");
        Files.writeString(odd, "-----BEGIN SOMETHING ODD-----\nAAAA\n-----END SOMETHING ODD-----\n");
        assertThatThrownBy(() -> TlsFiles.readPrivateKey(odd))
                .isInstanceOf(TlsException.class)
                .hasMessageStartingWith("private key file " + odd + " is not valid PEM");
        Path broken = dir.resolve("broken.pem");
        Files.writeString(broken, "-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n");
        assertThatThrownBy(() -> TlsFiles.readCertificates(broken))
                .isInstanceOf(TlsException.class)
                .hasMessageStartingWith("certificate file " + broken);
    }

    @Test
    void keyOfAnotherCertificateIsRefused() {
        Path otherKey = dir.resolve("other-key.pem");
        SelfSignedCertificates.generate(dir.resolve("other-cert.pem"), otherKey, List.of(), Duration.ofDays(1));
        assertThatThrownBy(() -> SslContexts.server(cert, otherKey))
                .isInstanceOf(TlsException.class)
                .hasMessage("private key " + otherKey + " does not belong to the certificate in " + cert);
    }

    @Test
    void encryptedKeyIsRefusedWithAHint() throws Exception {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(new JcaPKCS8Generator(TlsFiles.readPrivateKey(key),
                    new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                            .setProvider(new BouncyCastleProvider()) // test only: SunJCE lacks PKCS7Padding
                            .setPassword("pw".toCharArray()).build()));
        }
        Path encrypted = dir.resolve("encrypted-key.pem");
        Files.writeString(encrypted, text.toString());
        assertThatThrownBy(() -> SslContexts.server(cert, encrypted))
                .isInstanceOf(TlsException.class)
                .hasMessageStartingWith("private key file " + encrypted + " is encrypted");
    }
}
