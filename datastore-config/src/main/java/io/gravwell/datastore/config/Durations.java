package io.gravwell.datastore.config;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The config file's duration syntax: {@code 500ms}, {@code 30s}, {@code 10m}, {@code 24h}, {@code 7d}, or bare seconds. */
public final class Durations {
    private static final Pattern SYNTAX = Pattern.compile("(\\d{1,18})\\s*(ms|s|m|h|d)?", Pattern.CASE_INSENSITIVE);

    private Durations() {}

    public static Duration parse(String text) {
        Matcher m = SYNTAX.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "expected a duration such as 500ms, 30s, 10m, 24h, 7d or a number of seconds");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2).toLowerCase(Locale.ROOT);
        try {
            Duration d = switch (unit) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> throw new IllegalStateException(unit);
            };
            // Programs use durations as milliseconds (timers, Ratis); one that does not fit would pass
            // here and fail at start-up with an ArithmeticException that names no key.
            d.toMillis();
            return d;
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("duration is too long (at most " + Long.MAX_VALUE / 86_400_000L + "d)");
        }
    }

    /** The shortest exact spelling in the same syntax, so that formatted defaults parse back. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 1000 != 0) {
            return ms + "ms";
        }
        long s = ms / 1000;
        if (s != 0 && s % 86400 == 0) {
            return s / 86400 + "d";
        }
        if (s != 0 && s % 3600 == 0) {
            return s / 3600 + "h";
        }
        if (s != 0 && s % 60 == 0) {
            return s / 60 + "m";
        }
        return s + "s";
    }
}
