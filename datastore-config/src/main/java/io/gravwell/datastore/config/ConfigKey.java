package io.gravwell.datastore.config;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * One typed config key, declared as a constant next to its default (in the style of Ratis'
 * {@code RaftServerConfigKeys}). For a repeatable key, {@code T} is the type of one line's value
 * and the key's value is a list.
 */
public final class ConfigKey<T> {
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9-]*");

    private final String name;
    private final ValueParser<T> parser;
    private final T defaultValue;
    private final Function<? super T, String> printer;
    private final String description;
    private final boolean required;
    private final boolean repeatable;
    private final boolean secret;

    private ConfigKey(Builder<T> b) {
        this.name = b.name;
        this.parser = b.parser;
        this.defaultValue = b.defaultValue;
        this.printer = b.printer;
        this.description = b.description;
        this.required = b.required;
        this.repeatable = b.repeatable;
        this.secret = b.secret;
    }

    public static <T> Builder<T> builder(String name, ValueParser<T> parser) {
        return new Builder<>(name, parser);
    }

    /** Canonical spelling, as documented; lookups ignore case. */
    public String name() {
        return name;
    }

    public ValueParser<T> parser() {
        return parser;
    }

    public Optional<T> defaultValue() {
        return Optional.ofNullable(defaultValue);
    }

    /** The default written in config-file syntax (so it parses back), or empty if there is none. */
    public Optional<String> defaultText() {
        return defaultValue().map(printer);
    }

    public String description() {
        return description;
    }

    public boolean required() {
        return required;
    }

    public boolean repeatable() {
        return repeatable;
    }

    public boolean secret() {
        return secret;
    }

    /** Upstream Gravwell's convention: {@code Datastore-Port} is overridden by {@code GRAVWELL_DATASTORE_PORT}. */
    public String envVariable() {
        return "GRAVWELL_" + name.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    String lookupName() {
        return name.toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return name;
    }

    public static final class Builder<T> {
        private final String name;
        private final ValueParser<T> parser;
        private T defaultValue;
        private Function<? super T, String> printer = String::valueOf;
        private String description = "";
        private boolean required;
        private boolean repeatable;
        private boolean secret;

        private Builder(String name, ValueParser<T> parser) {
            Objects.requireNonNull(name, "name");
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("invalid config key name: " + name);
            }
            this.name = name;
            this.parser = Objects.requireNonNull(parser, "parser");
        }

        public Builder<T> defaultValue(T value) {
            this.defaultValue = Objects.requireNonNull(value, "value");
            return this;
        }

        /** How to write the default in the config syntax, when {@code toString()} does not (durations, sizes). */
        public Builder<T> printedAs(Function<? super T, String> printer) {
            this.printer = Objects.requireNonNull(printer, "printer");
            return this;
        }

        public Builder<T> description(String text) {
            this.description = Objects.requireNonNull(text, "text");
            return this;
        }

        public Builder<T> required() {
            this.required = true;
            return this;
        }

        public Builder<T> repeatable() {
            this.repeatable = true;
            return this;
        }

        /** The value is never printed: not in errors, not in {@code toString()}. */
        public Builder<T> secret() {
            this.secret = true;
            return this;
        }

        public ConfigKey<T> build() {
            if (defaultValue != null && (required || repeatable)) {
                throw new IllegalStateException(name + ": required and repeatable keys cannot have a default");
            }
            return new ConfigKey<>(this);
        }
    }
}
