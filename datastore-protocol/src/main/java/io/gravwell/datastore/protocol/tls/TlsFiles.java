package io.gravwell.datastore.protocol.tls;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads PEM certificates and private keys with BouncyCastle's PEMParser, so that PKCS#8
 * ({@code PRIVATE KEY}), PKCS#1 ({@code RSA PRIVATE KEY}) and SEC1 ({@code EC PRIVATE KEY}) keys all
 * work, whichever tool made them. Uses the JDK's providers; BouncyCastle is not registered globally.
 */
public final class TlsFiles {
    private TlsFiles() {}

    /** The certificates of a PEM file in file order (leaf first for a chain); at least one. */
    public static List<X509Certificate> readCertificates(Path pemFile) {
        List<Object> objects = readPem(pemFile, "certificate");
        List<X509Certificate> certs = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        for (Object o : objects) {
            if (o instanceof X509CertificateHolder holder) {
                try {
                    certs.add(converter.getCertificate(holder));
                } catch (CertificateException e) {
                    throw new TlsException("certificate file " + pemFile + ": unusable certificate: " + e.getMessage(), e);
                }
            }
        }
        if (certs.isEmpty()) {
            throw new TlsException("certificate file " + pemFile + " contains no certificate"
                    + (containsKey(objects) ? " but a private key (are the certificate and key files swapped?)"
                            : " (expected -----BEGIN CERTIFICATE-----)"));
        }
        return List.copyOf(certs);
    }

    /** The one private key of a PEM file; encrypted keys are refused (a service cannot type a passphrase). */
    public static PrivateKey readPrivateKey(Path pemFile) {
        List<Object> objects = readPem(pemFile, "private key");
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        PrivateKey key = null;
        for (Object o : objects) {
            PrivateKey found;
            try {
                if (o instanceof PrivateKeyInfo info) {
                    found = converter.getPrivateKey(info);
                } else if (o instanceof PEMKeyPair pair) {
                    // Not getKeyPair(): SEC1 EC keys may omit the public key, and only the private part is needed.
                    found = converter.getPrivateKey(pair.getPrivateKeyInfo());
                } else if (o instanceof PEMEncryptedKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo) {
                    throw new TlsException("private key file " + pemFile + " is encrypted; decrypt it first"
                            + " (e.g. openssl pkey -in enc.pem -out key.pem)");
                } else {
                    continue;
                }
            } catch (IOException e) {
                throw new TlsException("private key file " + pemFile + ": unusable key: " + e.getMessage(), e);
            }
            if (key != null) {
                throw new TlsException("private key file " + pemFile + " contains more than one private key");
            }
            key = found;
        }
        if (key == null) {
            boolean hasCert = objects.stream().anyMatch(X509CertificateHolder.class::isInstance);
            throw new TlsException("private key file " + pemFile + " contains no private key"
                    + (hasCert ? " but a certificate (are the certificate and key files swapped?)"
                            : " (expected -----BEGIN PRIVATE KEY-----, RSA PRIVATE KEY or EC PRIVATE KEY)"));
        }
        return key;
    }

    private static boolean containsKey(List<Object> objects) {
        return objects.stream().anyMatch(o -> o instanceof PrivateKeyInfo || o instanceof PEMKeyPair
                || o instanceof PEMEncryptedKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo);
    }

    /** Every PEM object in the file; "EC PARAMETERS" blocks (from openssl ecparam) are skipped. */
    private static List<Object> readPem(Path file, String what) {
        if (!Files.exists(file)) {
            throw new TlsException(what + " file " + file + " does not exist");
        }
        if (!Files.isRegularFile(file)) {
            throw new TlsException(what + " file " + file + " is not a regular file");
        }
        List<Object> objects = new ArrayList<>();
        // ISO-8859-1 never fails to decode, so a binary (DER) file gets the "no PEM" message below.
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1);
             PEMParser parser = new PEMParser(reader)) {
            Object o;
            while ((o = parser.readObject()) != null) {
                if (!(o instanceof ASN1ObjectIdentifier)) {
                    objects.add(o);
                }
            }
        } catch (NoSuchFileException e) {
            throw new TlsException(what + " file " + file + " does not exist", e);
        } catch (AccessDeniedException e) {
            throw new TlsException(what + " file " + file + " is not readable (permission denied)", e);
        } catch (IOException | RuntimeException e) {
            throw new TlsException(what + " file " + file + " is not valid PEM: " + e.getMessage(), e);
        }
        if (objects.isEmpty()) {
            throw new TlsException(what + " file " + file + " contains no PEM data (is it DER or empty?)");
        }
        return objects;
    }
}
