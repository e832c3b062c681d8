package io.gravwell.datastore.protocol.tls;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.OperatorCreationException;

/**
 * A small private CA for a cluster's peer (Raft) certificates: nodes trust exactly this CA, so a
 * certificate it did not sign cannot join. Keep the CA key off the nodes once their certificates are
 * issued. Files are written like {@link SelfSignedCertificates}' (atomically, keys 0600).
 */
public final class CertificateAuthority {
    private final X509Certificate certificate;
    private final PrivateKey key;

    private CertificateAuthority(X509Certificate certificate, PrivateKey key) {
        this.certificate = certificate;
        this.key = key;
    }

    /** Creates a new CA (EC P-256) and writes its certificate and key. */
    public static CertificateAuthority create(Path certOut, Path keyOut, String name, Duration validity) {
        CertificateBuilder.checkValidity(validity);
        try {
            KeyPair pair = CertificateBuilder.keyPair(SelfSignedCertificates.KeyType.EC_P256);
            X509Certificate cert = CertificateBuilder.authority(pair,
                    CertificateBuilder.subject("Gravwell datastore", name), validity);
            CertificateBuilder.writePair(certOut, keyOut, pair.getPrivate(), cert);
            return new CertificateAuthority(cert, pair.getPrivate());
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new TlsException("cannot create a CA: " + e.getMessage(), e);
        }
    }

    /** An existing CA from its PEM certificate and key (the first certificate of the file is the CA). */
    public static CertificateAuthority load(Path certFile, Path keyFile) {
        X509Certificate cert = TlsFiles.readCertificates(certFile).get(0);
        PrivateKey key = TlsFiles.readPrivateKey(keyFile);
        SslContexts.checkKeyMatches(cert, key, certFile, keyFile);
        if (cert.getBasicConstraints() < 0) {
            throw new TlsException("certificate " + certFile + " (" + cert.getSubjectX500Principal().getName()
                    + ") is not a CA certificate; create one with `datastore gencert --ca`");
        }
        return new CertificateAuthority(cert, key);
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /**
     * Issues a certificate (EC P-256, server and client use) for the given DNS names and IPs (plus
     * localhost and 127.0.0.1) and writes it with the CA certificate appended, so that the chain file is
     * complete, and its key.
     */
    public X509Certificate issue(Path certOut, Path keyOut, List<String> hostnamesAndIps, Duration validity) {
        CertificateBuilder.checkValidity(validity);
        Set<String> names = CertificateBuilder.names(hostnamesAndIps);
        try {
            KeyPair pair = CertificateBuilder.keyPair(SelfSignedCertificates.KeyType.EC_P256);
            X500Principal issuer = certificate.getSubjectX500Principal();
            X509Certificate cert = CertificateBuilder.leaf(pair.getPublic(),
                    CertificateBuilder.subject("Gravwell datastore", names.iterator().next()), names, validity,
                    X500Name.getInstance(issuer.getEncoded()), key, certificate);
            CertificateBuilder.writePair(certOut, keyOut, pair.getPrivate(), cert, certificate);
            return cert;
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new TlsException("cannot issue a certificate: " + e.getMessage(), e);
        }
    }
}
