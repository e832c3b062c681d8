package io.gravwell.datastore.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.stream.Collectors;

/**
 * Typed, validated values of one config file plus environment overrides. Knows nothing about which
 * program it configures: that lives in the {@link ConfigSchema} and its {@link ConfigKey}s.
 */
public final class Config {
    private final ConfigSchema schema;
    private final String sourceName;
    private final Map<ConfigKey<?>, List<Object>> values;
    private final Map<ConfigKey<?>, String> origins;

    private Config(ConfigSchema schema, String sourceName,
                   Map<ConfigKey<?>, List<Object>> values, Map<ConfigKey<?>, String> origins) {
        this.schema = schema;
        this.sourceName = sourceName;
        this.values = Collections.unmodifiableMap(values);
        this.origins = Collections.unmodifiableMap(origins);
    }

    public static Config load(ConfigSchema schema, Path file, Map<String, String> env) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read config file: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()), e);
        }
        return parse(schema, text, file.toString(), env);
    }

    /** {@code sourceName} (usually the file name) prefixes every error message. */
    public static Config parse(ConfigSchema schema, String text, String sourceName, Map<String, String> env) {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(sourceName, "sourceName");
        Objects.requireNonNull(env, "env");
        Map<ConfigKey<?>, List<RawValue>> raw =
                EnvOverrides.apply(schema, ConfigReader.read(schema, text, sourceName), env);
        Map<ConfigKey<?>, List<Object>> values = new LinkedHashMap<>();
        Map<ConfigKey<?>, String> origins = new LinkedHashMap<>();
        for (ConfigKey<?> key : schema.keys()) {
            List<RawValue> given = raw.getOrDefault(key, List.of());
            if (given.isEmpty()) {
                if (key.required()) {
                    throw new ConfigException(sourceName + ": missing required key \"" + key.name() + "\" in ["
                            + schema.sectionOf(key) + "] (or set " + key.envVariable() + ")");
                }
                key.defaultValue().ifPresent(d -> values.put(key, List.of(d)));
                continue;
            }
            List<Object> parsed = new ArrayList<>(given.size());
            for (RawValue value : given) {
                parsed.add(parseOne(key, value));
            }
            values.put(key, List.copyOf(parsed));
            origins.put(key, given.stream().map(RawValue::origin).distinct().collect(Collectors.joining(", ")));
        }
        return new Config(schema, sourceName, values, origins);
    }

    private static Object parseOne(ConfigKey<?> key, RawValue value) {
        try {
            return Objects.requireNonNull(key.parser().parse(value.text()), "parser returned null");
        } catch (RuntimeException e) {
            throw new ConfigException(value.origin() + ": invalid value" + shown(key, value.text())
                    + " for \"" + key.name() + "\": " + reason(key, value.text(), e));
        }
    }

    private static String shown(ConfigKey<?> key, String text) {
        return key.secret() ? " (secret, not shown)" : " \"" + text + "\"";
    }

    /** Parsers promise not to echo input, but a secret is too important to trust that promise blindly. */
    private static String reason(ConfigKey<?> key, String text, RuntimeException e) {
        String reason = e instanceof IllegalArgumentException && e.getMessage() != null
                ? e.getMessage()
                : "rejected by the parser (" + e.getClass().getSimpleName() + ")";
        if (key.secret() && !text.isEmpty() && reason.contains(text)) {
            return "rejected";
        }
        return reason;
    }

    public ConfigSchema schema() {
        return schema;
    }

    public String sourceName() {
        return sourceName;
    }

    /** The value of a single-valued key, or its default; fails if there is neither. */
    public <T> T get(ConfigKey<T> key) {
        return find(key).orElseThrow(() -> new IllegalStateException("no value and no default for " + key));
    }

    /** The value of a single-valued key, or its default, or empty for an unset optional key. */
    public <T> Optional<T> find(ConfigKey<T> key) {
        if (key.repeatable()) {
            throw new IllegalArgumentException(key + " is repeatable; use getAll");
        }
        List<T> all = typed(key);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
    }

    /** Every value of a repeatable key, in file order; empty if the key was not given. */
    public <T> List<T> getAll(ConfigKey<T> key) {
        if (!key.repeatable()) {
            throw new IllegalArgumentException(key + " is not repeatable; use get");
        }
        return typed(key);
    }

    /** True if the file or the environment gave the key a value (a default does not count). */
    public boolean isSet(ConfigKey<?> key) {
        return origins.containsKey(key);
    }

    /** Where the key's value came from, e.g. {@code gravwell.conf:12}, or {@code default}. */
    public String origin(ConfigKey<?> key) {
        return origins.getOrDefault(key, "default");
    }

    /**
     * An error for a rule that spans several keys; names every key involved and where each was set.
     * For example: {@code gravwell.conf: Datastore-Max-Frame-Size must be ... (Datastore-Max-Frame-Size
     * from gravwell.conf:14, Datastore-Max-Entry-Size from default)}.
     */
    public ConfigException invalid(String message, ConfigKey<?>... involved) {
        String where = Arrays.stream(involved)
                .map(k -> k.name() + " from " + origin(k))
                .collect(Collectors.joining(", "));
        return new ConfigException(sourceName + ": " + message + (where.isEmpty() ? "" : " (" + where + ")"));
    }

    @SuppressWarnings("unchecked")
    private <T> List<T> typed(ConfigKey<T> key) {
        schema.sectionOf(key);
        return (List<T>) values.getOrDefault(key, List.of());
    }

    @Override
    public String toString() {
        StringJoiner out = new StringJoiner(", ", "Config[" + sourceName + ": ", "]");
        values.forEach((key, v) -> out.add(key.name() + "=" + (key.secret() ? "****" : printable(key, v))));
        return out.toString();
    }

    private static String printable(ConfigKey<?> key, List<Object> v) {
        return key.repeatable() ? v.toString() : String.valueOf(v.get(0));
    }
}
