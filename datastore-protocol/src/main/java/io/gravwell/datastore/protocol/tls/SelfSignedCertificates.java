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
 * Self-signed certificates for first set-up and tests; clients trust the certificate file itself.
 * Files are replaced atomically, and the key file is created owner-only (0600) where POSIX permissions
 * exist, so there is no moment at which the key is world-readable.
 */
public final class SelfSignedCertificates {
    private static final Pattern DNS_NAME = Pattern.compile("(\\*\\.)?[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?"
            + "(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*");
    private static final Duration CLOCK_SKEW = Duration.ofHours(1);

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
        if (validity.isNegative() || validity.isZero()) {
            throw new IllegalArgumentException("validity must be positive");
        }
        Set<String> names = names(hostnamesAndIps);
        try {
            KeyPair pair = keyPair(keyType);
            X509Certificate cert = certificate(pair, names, validity, keyType);
            writeAtomically(certOut, pem(cert), false);
            writeAtomically(keyOut, pem(new JcaPKCS8Generator(pair.getPrivate(), null)), true);
            return cert;
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new TlsException("cannot generate a self-signed certificate: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new TlsException("cannot write " + certOut + " / " + keyOut + ": " + e, e);
        }
    }

    private static Set<String> names(List<String> given) {
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

    private static KeyPair keyPair(KeyType type) throws GeneralSecurityException {
        if (type == KeyType.RSA_2048) {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        }
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static X509Certificate certificate(KeyPair pair, Set<String> names, Duration validity, KeyType type)
            throws GeneralSecurityException, OperatorCreationException, IOException {
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.O, "Gravwell datastore (self-signed)")
                .addRDN(BCStyle.CN, names.iterator().next())
                .build();
        Instant now = Instant.now();
        BigInteger serial = new BigInteger(127, new SecureRandom()).add(BigInteger.ONE);
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial,
                Date.from(now.minus(CLOCK_SKEW)), Date.from(now.plus(validity)), subject, pair.getPublic());
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        int usage = type == KeyType.RSA_2048
                ? KeyUsage.digitalSignature | KeyUsage.keyEncipherment
                : KeyUsage.digitalSignature;
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                .addExtension(Extension.keyUsage, true, new KeyUsage(usage))
                .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                        new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}))
                .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pair.getPublic()))
                .addExtension(Extension.subjectAlternativeName, false, subjectAltNames(names));
        String algorithm = type == KeyType.RSA_2048 ? "SHA256withRSA" : "SHA256withECDSA";
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder(algorithm).build(pair.getPrivate())));
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

    private static String pem(Object object) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(object);
        }
        return text.toString();
    }

    private static void writeAtomically(Path target, String content, boolean ownerOnly) throws IOException {
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
