package io.gravwell.datastore.node.raft;

import io.gravwell.datastore.node.config.NodeConfig;
import io.gravwell.datastore.protocol.tls.SslContexts;
import io.gravwell.datastore.protocol.tls.TlsException;
import io.gravwell.datastore.protocol.tls.TlsFiles;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.stream.Collectors;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.grpc.GrpcTlsConfig;
import org.apache.ratis.thirdparty.io.netty.handler.ssl.SslProvider;

/**
 * Mutual TLS on the Raft port. Every node presents its certificate both when it serves and when it dials
 * a peer, and accepts a peer only if that peer's certificate chains to the configured CA(s); a node that
 * dials also checks that the certificate names the host it dialed. One {@link GrpcTlsConfig} is set as
 * Ratis' default, so the server port, the connections to peers and this node's own RaftClient (admin and
 * client calls included) all use it.
 */
public final class PeerTls {
  private static final char[] IN_MEMORY = new char[0];

  private final GrpcTlsConfig tls;
  private final String description;

  private PeerTls(GrpcTlsConfig tls, String description) {
    this.tls = tls;
    this.description = description;
  }

  /** Null when Datastore-Raft-Insecure-Disable-TLS is in force. Fails with a {@link TlsException} naming the file. */
  public static PeerTls fromConfig(NodeConfig config) {
    if (config.raftTlsDisabled()) {
      return null;
    }
    Path certFile = config.raftCertificateFile().orElseThrow();
    Path keyFile = config.raftKeyFile().orElseThrow();
    List<X509Certificate> chain = TlsFiles.readCertificates(certFile);
    PrivateKey key = TlsFiles.readPrivateKey(keyFile);
    SslContexts.checkKeyMatches(chain.get(0), key, certFile, keyFile);
    List<X509Certificate> authorities = config.raftCaFile()
        .map(TlsFiles::readCertificates)
        .orElseGet(() -> List.of(selfSignedEnd(chain, certFile)));
    return of(chain, key, authorities);
  }

  /** Peer TLS from material already in memory (tools and tests). */
  public static PeerTls of(List<X509Certificate> chain, PrivateKey key, List<X509Certificate> authorities) {
    try {
      GrpcTlsConfig tls = GrpcTlsConfig.newBuilder()
          .setKeyManager(keyManager(chain, key))
          .setTrustManager(trustManager(authorities))
          .setMutualTls(true)
          // The client port runs on the JDK provider too: one TLS implementation to reason about.
          .setSslProvider(SslProvider.JDK)
          .setProtocols("TLSv1.3", "TLSv1.2")
          .build();
      String description = "certificate " + chain.get(0).getSubjectX500Principal().getName() + ", trusting "
          + authorities.stream().map(c -> c.getSubjectX500Principal().getName())
              .collect(Collectors.joining("; ", "[", "]"));
      return new PeerTls(tls, description);
    } catch (GeneralSecurityException e) {
      throw new TlsException("cannot set up peer TLS: " + e.getMessage(), e);
    }
  }

  /** Ratis parameters carrying this TLS setup, for a RaftServer or RaftClient builder. */
  public Parameters parameters() {
    Parameters p = new Parameters();
    GrpcConfigKeys.TLS.setConf(p, tls);
    return p;
  }

  /** Ratis parameters for {@code peerTls}, empty (plain text) when it is null. */
  public static Parameters parameters(PeerTls peerTls) {
    return peerTls == null ? new Parameters() : peerTls.parameters();
  }

  @Override
  public String toString() {
    return description;
  }

  /**
   * Without Raft-CA-File the chain file must end in a self-signed certificate: the cluster's own CA
   * appended after the leaf, or one shared self-signed certificate. An intermediate of a public CA is
   * refused, or anyone with a certificate from that CA could join.
   */
  private static X509Certificate selfSignedEnd(List<X509Certificate> chain, Path certFile) {
    X509Certificate last = chain.get(chain.size() - 1);
    boolean selfSigned = last.getSubjectX500Principal().equals(last.getIssuerX500Principal());
    if (selfSigned) {
      try {
        last.verify(last.getPublicKey());
      } catch (GeneralSecurityException e) {
        selfSigned = false;
      }
    }
    if (!selfSigned) {
      throw new TlsException("certificate file " + certFile + " does not end in a self-signed (CA) certificate,"
          + " so peers cannot be checked against it: set Raft-CA-File to the CA that signs the nodes' Raft"
          + " certificates");
    }
    return last;
  }

  private static KeyManager keyManager(List<X509Certificate> chain, PrivateKey key) throws GeneralSecurityException {
    KeyStore store = emptyStore();
    store.setKeyEntry("node", key, IN_MEMORY, chain.toArray(X509Certificate[]::new));
    KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    factory.init(store, IN_MEMORY);
    return factory.getKeyManagers()[0];
  }

  private static TrustManager trustManager(List<X509Certificate> authorities) throws GeneralSecurityException {
    KeyStore store = emptyStore();
    for (int i = 0; i < authorities.size(); i++) {
      store.setCertificateEntry("ca-" + i, authorities.get(i));
    }
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(store);
    return factory.getTrustManagers()[0];
  }

  private static KeyStore emptyStore() throws GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try {
      store.load(null, null);
    } catch (java.io.IOException e) {
      throw new GeneralSecurityException(e);
    }
    return store;
  }
}
