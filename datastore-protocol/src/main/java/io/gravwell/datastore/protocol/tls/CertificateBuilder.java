package io.gravwell.datastore.protocol.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.IPAddress;

/**
 * What self-signed certificates and certificates issued by a {@link CertificateAuthority} have in
 * common: key generation, names, extensions, signing and writing PEM files safely.
 */
final class CertificateBuilder {
    private static final Pattern DNS_NAME = Pattern.compile("(\\*\\.)?[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?"
            + "(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*");
    /** Certificates are valid from an hour ago, so that a peer whose clock is a little behind accepts them. */
    private static final Duration CLOCK_SKEW = Duration.ofHours(1);

    private CertificateBuilder() {}

    static void checkValidity(Duration validity) {
        if (validity.isNegative() || validity.isZero()) {
            throw new IllegalArgumentException("validity must be positive");
        }
    }

    /** The given DNS names and IPs plus localhost and 127.0.0.1; the first is the CN. */
    static Set<String> names(List<String> given) {
        Set<String> names = new LinkedHashSet<>();
        for (String raw : given) {
            String name = raw.strip();
            if (!IPAddress.isValid(name) && !DNS_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("not a DNS name or IP address: \"" + raw + "\"");
            }
            names.add(IPAddress.isValid(name) ? name : name.toLowerCase(Locale.ROOT));
        }
        names.add("localhost");
        names.add("127.0.0.1");
        return names;
    }

    static KeyPair keyPair(SelfSignedCertificates.KeyType type) throws GeneralSecurityException {
        if (type == SelfSignedCertificates.KeyType.RSA_2048) {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        }
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    static X500Name subject(String organization, String commonName) {
        return new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.O, organization)
                .addRDN(BCStyle.CN, commonName)
                .build();
    }

    /**
     * A certificate usable both as TLS server and TLS client (peers dial each other), for the given
     * names, signed by {@code signer} on behalf of {@code issuer} (the subject itself when self-signed).
     */
    static X509Certificate leaf(PublicKey publicKey, X500Name subject, Set<String> names, Duration validity,
                                X500Name issuer, PrivateKey signer, X509Certificate issuerCert)
            throws GeneralSecurityException, OperatorCreationException, IOException {
        X509v3CertificateBuilder builder = start(subject, issuer, publicKey, validity);
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        int usage = "RSA".equals(publicKey.getAlgorithm())
                ? KeyUsage.digitalSignature | KeyUsage.keyEncipherment
                : KeyUsage.digitalSignature;
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                .addExtension(Extension.keyUsage, true, new KeyUsage(usage))
                .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                        new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}))
                .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(publicKey))
                .addExtension(Extension.subjectAlternativeName, false, subjectAltNames(names));
        if (issuerCert != null) {
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    ext.createAuthorityKeyIdentifier(issuerCert));
        }
        return sign(builder, signer);
    }

    /** A self-signed CA that may sign leaf certificates only (path length 0). */
    static X509Certificate authority(KeyPair pair, X500Name subject, Duration validity)
            throws GeneralSecurityException, OperatorCreationException, IOException {
        X509v3CertificateBuilder builder = start(subject, subject, pair.getPublic(), validity);
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pair.getPublic()));
        return sign(builder, pair.getPrivate());
    }

    private static X509v3CertificateBuilder start(X500Name subject, X500Name issuer, PublicKey key, Duration validity) {
        Instant now = Instant.now();
        BigInteger serial = new BigInteger(127, new SecureRandom()).add(BigInteger.ONE);
        return new JcaX509v3CertificateBuilder(issuer, serial,
                Date.from(now.minus(CLOCK_SKEW)), Date.from(now.plus(validity)), subject, key);
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer)
            throws GeneralSecurityException, OperatorCreationException {
        String algorithm = "RSA".equals(signer.getAlgorithm()) ? "SHA256withRSA" : "SHA256withECDSA";
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder(algorithm).build(signer)));
    }

    private static GeneralNames subjectAltNames(Set<String> names) {
        List<GeneralName> out = new ArrayList<>();
        for (String name : names) {
            out.add(IPAddress.isValid(name)
                    ? new GeneralName(GeneralName.iPAddress, name)
                    : new GeneralName(GeneralName.dNSName, name));
        }
        return new GeneralNames(out.toArray(GeneralName[]::new));
    }

    static String pem(Object... objects) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            for (Object o : objects) {
                writer.writeObject(o);
            }
        }
        return text.toString();
    }

    /** Writes the certificates (PEM, in order) and the key (PKCS#8 PEM, 0600); fails naming both files. */
    static void writePair(Path certOut, Path keyOut, PrivateKey key, X509Certificate... certs) {
        try {
            writeAtomically(certOut, pem((Object[]) certs), false);
            writeAtomically(keyOut, pem(new JcaPKCS8Generator(key, null)), true);
        } catch (IOException e) {
            throw new TlsException("cannot write " + certOut + " / " + keyOut + ": " + e, e);
        }
    }

    /**
     * Replaces {@code target} atomically; an owner-only file is created 0600 so that there is no moment at
     * which a key is world-readable.
     */
    static void writeAtomically(Path target, String content, boolean ownerOnly) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        boolean posix = Files.getFileStore(dir).supportsFileAttributeView("posix");
        Path tmp = posix
                ? Files.createTempFile(dir, ".tmp-", ".pem",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                : Files.createTempFile(dir, ".tmp-", ".pem");
        try {
            Files.writeString(tmp, content, StandardCharsets.US_ASCII);
            if (posix && !ownerOnly) {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            }
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | UncheckedIOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }
}
