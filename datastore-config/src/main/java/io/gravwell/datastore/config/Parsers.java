package io.gravwell.datastore.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Value parsers for the config types. Error messages never echo the input (see {@link ValueParser}). */
public final class Parsers {
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._%:-]+");
    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d{1,19}");

    private Parsers() {}

    public static ValueParser<String> string() {
        return text -> text;
    }

    public static ValueParser<String> nonEmptyString() {
        return string().where(s -> !s.isBlank(), "must not be empty");
    }

    /** {@code description} tells the operator what is allowed, e.g. "letters, digits, '-' and '_'". */
    public static ValueParser<String> matching(Pattern pattern, String description) {
        return string().where(s -> pattern.matcher(s).matches(), "may only contain " + description);
    }

    public static ValueParser<Long> longRange(long min, long max) {
        return text -> {
            String s = text.trim();
            long value;
            try {
                if (!INTEGER.matcher(s).matches()) {
                    throw new NumberFormatException();
                }
                value = Long.parseLong(s);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expected a whole number");
            }
            if (value < min || value > max) {
                throw new IllegalArgumentException("must be between " + min + " and " + max);
            }
            return value;
        };
    }

    public static ValueParser<Integer> intRange(int min, int max) {
        ValueParser<Long> asLong = longRange(min, max);
        return text -> asLong.parse(text).intValue();
    }

    public static ValueParser<Integer> port() {
        return intRange(1, 65535);
    }

    public static ValueParser<Boolean> bool() {
        return text -> switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw new IllegalArgumentException("expected true/false, yes/no or 1/0");
        };
    }

    public static ValueParser<Duration> duration() {
        return Durations::parse;
    }

    public static ValueParser<Duration> positiveDuration() {
        return duration().where(d -> !d.isZero(), "must be greater than zero");
    }

    public static ValueParser<Long> byteSize() {
        return ByteSizes::parse;
    }

    /** A host name or IP address without a port, e.g. a listen address. */
    public static ValueParser<String> host() {
        return text -> {
            String host = text.trim();
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            checkHost(host);
            return host;
        };
    }

    public static ValueParser<HostAndPort> hostAndPort() {
        return HostAndPort::parse;
    }

    public static ValueParser<Path> path() {
        return text -> {
            if (text.isBlank()) {
                throw new IllegalArgumentException("must not be empty");
            }
            try {
                return Path.of(text.trim());
            } catch (InvalidPathException e) {
                throw new IllegalArgumentException("not a valid path");
            }
        };
    }

    /** Services start with the working directory at "/", where a relative path rarely means what was meant. */
    public static ValueParser<Path> absolutePath() {
        return path().where(Path::isAbsolute, "must be an absolute path");
    }

    public static ValueParser<UUID> uuid() {
        return text -> {
            try {
                UUID id = UUID.fromString(text.trim());
                if (!id.toString().equalsIgnoreCase(text.trim())) {
                    throw new IllegalArgumentException();
                }
                return id;
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("expected a UUID such as 123e4567-e89b-12d3-a456-426614174000");
            }
        };
    }

    /** Case-insensitive match on the constant names. */
    public static <E extends Enum<E>> ValueParser<E> enumValue(Class<E> type) {
        E[] constants = type.getEnumConstants();
        String allowed = Arrays.stream(constants).map(Enum::name).collect(Collectors.joining(", "));
        return text -> {
            for (E e : constants) {
                if (e.name().equalsIgnoreCase(text.trim())) {
                    return e;
                }
            }
            throw new IllegalArgumentException("expected one of " + allowed);
        };
    }

    /** A comma-separated list; items are trimmed and must not be empty. */
    public static <T> ValueParser<List<T>> list(ValueParser<T> item) {
        return text -> {
            List<T> out = new ArrayList<>();
            String[] parts = text.split(",", -1);
            for (int i = 0; i < parts.length; i++) {
                String part = parts[i].trim();
                if (part.isEmpty()) {
                    throw new IllegalArgumentException("item " + (i + 1) + " of the list is empty");
                }
                try {
                    out.add(item.parse(part));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("item " + (i + 1) + " of the list: " + e.getMessage());
                }
            }
            return List.copyOf(out);
        };
    }

    public static ValueParser<Secret> secret() {
        return text -> {
            if (text.isBlank()) {
                throw new IllegalArgumentException("must not be empty");
            }
            return new Secret(text);
        };
    }

    static void checkHost(String host) {
        if (host.isEmpty()) {
            throw new IllegalArgumentException("the host is empty");
        }
        if (!HOST.matcher(host).matches()) {
            throw new IllegalArgumentException("the host may only contain letters, digits, '.', '-', '_' and ':'");
        }
    }
}
