package io.gravwell.datastore.config;

/**
 * A configuration problem the operator must fix. Messages always say where (file and line, or the
 * environment variable) and which key, and never contain the value of a secret key.
 *
 * <p>Unchecked because it is fatal at start-up and lambdas in value parsers would otherwise need
 * wrapping everywhere.
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
