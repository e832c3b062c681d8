package io.gravwell.datastore.protocol.tls;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.OperatorCreationException;

/**
 * Self-signed certificates for first set-up and tests; clients trust the certificate file itself.
 * Files are replaced atomically, and the key file is created owner-only (0600) where POSIX permissions
 * exist, so there is no moment at which the key is world-readable.
 */
public final class SelfSignedCertificates {
    public enum KeyType { EC_P256, RSA_2048 }

    private SelfSignedCertificates() {}

    /** EC P-256 key; see {@link #generate(Path, Path, List, Duration, KeyType)}. */
    public static X509Certificate generate(Path certOut, Path keyOut, List<String> hostnamesAndIps, Duration validity) {
        return generate(certOut, keyOut, hostnamesAndIps, validity, KeyType.EC_P256);
    }

    /**
     * Writes a PEM certificate and a PKCS#8 PEM key. The subject alternative names are the given DNS
     * names and IP addresses plus {@code localhost} and {@code 127.0.0.1}; the first name is the CN.
     */
    public static X509Certificate generate(Path certOut, Path keyOut, List<String> hostnamesAndIps,
                                           Duration validity, KeyType keyType) {
        CertificateBuilder.checkValidity(validity);
        Set<String> names = CertificateBuilder.names(hostnamesAndIps);
        try {
            KeyPair pair = CertificateBuilder.keyPair(keyType);
            X500Name subject = CertificateBuilder.subject("Gravwell datastore (self-signed)", names.iterator().next());
            X509Certificate cert = CertificateBuilder.leaf(pair.getPublic(), subject, names, validity,
                    subject, pair.getPrivate(), null);
            CertificateBuilder.writePair(certOut, keyOut, pair.getPrivate(), cert);
            return cert;
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new TlsException("cannot generate a self-signed certificate: " + e.getMessage(), e);
        }
    }
}
