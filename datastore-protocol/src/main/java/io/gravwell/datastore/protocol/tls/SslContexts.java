package io.gravwell.datastore.protocol.tls;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLException;

/**
 * Netty {@link SslContext}s for the client port: TLS 1.2 and 1.3 only, JDK provider (no native
 * dependency). Clients that verify the server also verify its host name, so use
 * {@code newHandler(alloc, host, port)} on the client side.
 */
public final class SslContexts {
    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private SslContexts() {}

    /** A server context from a PEM certificate chain (leaf first) and its PEM private key. */
    public static SslContext server(Path certificateChainPem, Path privateKeyPem) {
        List<X509Certificate> chain = TlsFiles.readCertificates(certificateChainPem);
        PrivateKey key = TlsFiles.readPrivateKey(privateKeyPem);
        checkKeyMatches(chain.get(0), key, certificateChainPem, privateKeyPem);
        try {
            return SslContextBuilder.forServer(key, chain)
                    .sslProvider(SslProvider.JDK)
                    .protocols(PROTOCOLS)
                    .build();
        } catch (SSLException | RuntimeException e) {
            throw new TlsException("cannot build a TLS server context from " + certificateChainPem + " and "
                    + privateKeyPem + ": " + e.getMessage(), e);
        }
    }

    /**
     * A client that trusts the CA or self-signed certificates in {@code trustPem}, or the JDK's default
     * trust store when {@code trustPem} is null.
     */
    public static SslContext client(Path trustPem) {
        SslContextBuilder builder = verifyingClient();
        if (trustPem != null) {
            builder.trustManager(TlsFiles.readCertificates(trustPem));
        }
        return build(builder, trustPem == null ? "the default trust store" : trustPem.toString());
    }

    /** A client that trusts the JDK's default trust store (public CAs). */
    public static SslContext systemTrustClient() {
        return client(null);
    }

    /**
     * A client that accepts any certificate for any host (Datastore-Insecure-Skip-TLS-Verify): still
     * encrypted, but open to a man in the middle. For tests and first set-up only.
     */
    public static SslContext insecureClient() {
        SslContextBuilder builder = SslContextBuilder.forClient()
                .sslProvider(SslProvider.JDK)
                .protocols(PROTOCOLS)
                .endpointIdentificationAlgorithm(null)
                .trustManager(InsecureTrustManagerFactory.INSTANCE);
        return build(builder, "the insecure trust-anything manager");
    }

    private static SslContextBuilder verifyingClient() {
        return SslContextBuilder.forClient()
                .sslProvider(SslProvider.JDK)
                .protocols(PROTOCOLS)
                .endpointIdentificationAlgorithm("HTTPS");
    }

    private static SslContext build(SslContextBuilder builder, String trustSource) {
        try {
            return builder.build();
        } catch (SSLException | RuntimeException e) {
            throw new TlsException("cannot build a TLS client context trusting " + trustSource + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * A mismatched pair otherwise only shows up as a handshake failure on the first client, far from the
     * cause; a test signature finds it at start-up.
     */
    public static void checkKeyMatches(X509Certificate cert, PrivateKey key, Path certFile, Path keyFile) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> null;
        };
        if (algorithm == null) {
            return;
        }
        boolean matches;
        try {
            byte[] probe = "gravwell-datastore key check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(cert.getPublicKey());
            verifier.update(probe);
            matches = verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            matches = false;
        }
        if (!matches) {
            throw new TlsException("private key " + keyFile + " does not belong to the certificate in " + certFile);
        }
    }
}
