package io.gravwell.datastore.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Byte sizes: a plain number of bytes or a binary suffix ({@code KiB}, {@code MiB}, {@code GiB}, {@code TiB}).
 * Decimal suffixes such as {@code MB} are rejected on purpose: half of all operators read them as
 * powers of 1024 and half as powers of 1000, and a limit that is off by 5% is a nasty surprise.
 */
public final class ByteSizes {
    public static final long KIB = 1024;
    public static final long MIB = 1024 * KIB;
    public static final long GIB = 1024 * MIB;
    public static final long TIB = 1024 * GIB;

    private static final Pattern SYNTAX = Pattern.compile("(\\d{1,19})\\s*([A-Za-z]*)");

    private ByteSizes() {}

    public static long parse(String text) {
        Matcher m = SYNTAX.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("expected a byte size such as 1048576, 512KiB, 4MiB or 1GiB");
        }
        long multiplier = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "", "b" -> 1;
            case "kib" -> KIB;
            case "mib" -> MIB;
            case "gib" -> GIB;
            case "tib" -> TIB;
            case "k", "kb", "m", "mb", "g", "gb", "t", "tb" -> throw new IllegalArgumentException(
                    "ambiguous unit; use KiB, MiB, GiB or TiB (powers of 1024) or a plain number of bytes");
            default -> throw new IllegalArgumentException("unknown unit; use KiB, MiB, GiB, TiB or plain bytes");
        };
        try {
            return Math.multiplyExact(Long.parseLong(m.group(1)), multiplier);
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("byte size is too large");
        }
    }

    /** The largest exact binary unit, so that formatted defaults parse back to the same value. */
    public static String format(long bytes) {
        if (bytes != 0) {
            if (bytes % TIB == 0) {
                return bytes / TIB + "TiB";
            }
            if (bytes % GIB == 0) {
                return bytes / GIB + "GiB";
            }
            if (bytes % MIB == 0) {
                return bytes / MIB + "MiB";
            }
            if (bytes % KIB == 0) {
                return bytes / KIB + "KiB";
            }
        }
        return Long.toString(bytes);
    }
}
