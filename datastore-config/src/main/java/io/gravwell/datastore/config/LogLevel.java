package io.gravwell.datastore.config;

/** The Log-Level values; names match logback's levels so they can be passed through. */
public enum LogLevel {
    ERROR, WARN, INFO, DEBUG, TRACE
}
