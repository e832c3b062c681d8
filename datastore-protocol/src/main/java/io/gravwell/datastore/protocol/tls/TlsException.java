package io.gravwell.datastore.protocol.tls;

/**
 * TLS material could not be loaded or a context could not be built. The message names the file and
 * what is wrong with it, so it can be shown to the operator as is. Unchecked: it is fatal at start-up.
 */
public final class TlsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TlsException(String message) {
        super(message);
    }

    public TlsException(String message, Throwable cause) {
        super(message, cause);
    }
}
