package io.gravwell.datastore.config;

/**
 * The right-hand side of {@code Key=Value}: optional double quotes (with {@code \"} and {@code \\}
 * escapes inside), and a {@code #} comment that starts the value or follows whitespace. Outside quotes
 * a {@code #} glued to text stays part of the value, so {@code Key=a#b} is {@code a#b}.
 */
final class ValueSyntax {
    private ValueSyntax() {}

    /** Returns the value, or throws IllegalArgumentException with a message that does not echo the value. */
    static String unquote(String rhs) {
        String s = stripLeading(rhs);
        if (s.startsWith("\"")) {
            return quoted(s);
        }
        return stripComment(s).strip();
    }

    /** Removes a trailing comment from unquoted text (also used for section header lines). */
    static String stripComment(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '#' && (i == 0 || Character.isWhitespace(s.charAt(i - 1)))) {
                return s.substring(0, i);
            }
        }
        return s;
    }

    private static String quoted(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int i = 1;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '"') {
                String rest = s.substring(i + 1).strip();
                if (!rest.isEmpty() && !rest.startsWith("#")) {
                    throw new IllegalArgumentException("unexpected text after the closing quote");
                }
                return out.toString();
            }
            if (c == '\\' && i + 1 < s.length() && (s.charAt(i + 1) == '"' || s.charAt(i + 1) == '\\')) {
                out.append(s.charAt(i + 1));
                i += 2;
                continue;
            }
            out.append(c);
            i++;
        }
        throw new IllegalArgumentException("missing closing quote");
    }

    private static String stripLeading(String s) {
        int i = 0;
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return s.substring(i);
    }
}
