package io.gravwell.datastore.config;

/**
 * One unparsed value and where it came from, e.g. {@code gravwell.conf:12} or
 * {@code environment variable GRAVWELL_DATASTORE_PORT}; the origin prefixes every error about it.
 */
record RawValue(String text, String origin) {}
