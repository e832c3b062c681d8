package io.gravwell.datastore.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads gravwell.conf-style text into unparsed values per key, rejecting anything the schema does not
 * declare. Messages never quote a value or a whole line, since either might hold a secret.
 */
final class ConfigReader {
    private static final Pattern KEY_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9-]*");

    private final ConfigSchema schema;
    private final String sourceName;
    private final Map<ConfigKey<?>, List<RawValue>> values = new LinkedHashMap<>();
    private final Map<ConfigKey<?>, Integer> firstLine = new LinkedHashMap<>();
    private String section;
    private int lineNumber;

    private ConfigReader(ConfigSchema schema, String sourceName) {
        this.schema = schema;
        this.sourceName = sourceName;
    }

    static Map<ConfigKey<?>, List<RawValue>> read(ConfigSchema schema, String text, String sourceName) {
        ConfigReader reader = new ConfigReader(schema, sourceName);
        String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
        for (String line : body.split("\n", -1)) {
            reader.lineNumber++;
            reader.line(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
        }
        return reader.values;
    }

    private void line(String raw) {
        String line = raw.strip();
        if (line.isEmpty() || line.startsWith("#")) {
            return;
        }
        if (line.startsWith("[")) {
            sectionHeader(line);
        } else {
            keyValue(line);
        }
    }

    private void sectionHeader(String line) {
        String header = ValueSyntax.stripComment(line).strip();
        if (!header.endsWith("]") || header.indexOf(']') != header.length() - 1) {
            throw error("malformed section header: expected [Name]");
        }
        String name = header.substring(1, header.length() - 1).strip();
        Optional<String> known = schema.section(name);
        if (known.isEmpty()) {
            throw error("unknown section [" + name + "]" + Suggestions.didYouMean(name, schema.sections())
                    + "; allowed: " + schema.sections().stream().map(s -> "[" + s + "]").toList());
        }
        section = known.get();
    }

    private void keyValue(String line) {
        int eq = line.indexOf('=');
        if (eq < 0) {
            throw error("malformed line" + knownKeyHint(line) + ": expected Key=Value, [Section] or # comment");
        }
        String name = line.substring(0, eq).strip();
        if (!KEY_NAME.matcher(name).matches()) {
            throw error("malformed line: invalid key name (letters, digits and '-' only)");
        }
        if (section == null) {
            throw error("key \"" + name + "\" is outside a section; put it under ["
                    + schema.keyInAnySection(name).map(schema::sectionOf).orElse(schema.sections().get(0)) + "]");
        }
        ConfigKey<?> key = lookup(name);
        String value;
        try {
            value = ValueSyntax.unquote(line.substring(eq + 1));
        } catch (IllegalArgumentException e) {
            throw error("malformed value for \"" + key.name() + "\": " + e.getMessage());
        }
        Integer previous = firstLine.putIfAbsent(key, lineNumber);
        if (previous != null && !key.repeatable()) {
            throw error("duplicate key \"" + key.name() + "\" (already set on line " + previous
                    + "; only repeatable keys may appear more than once)");
        }
        values.computeIfAbsent(key, k -> new ArrayList<>()).add(new RawValue(value, sourceName + ":" + lineNumber));
    }

    private ConfigKey<?> lookup(String name) {
        Optional<ConfigKey<?>> key = schema.key(section, name);
        if (key.isPresent()) {
            return key.get();
        }
        Optional<ConfigKey<?>> elsewhere = schema.keyInAnySection(name);
        if (elsewhere.isPresent()) {
            throw error("key \"" + elsewhere.get().name() + "\" belongs in [" + schema.sectionOf(elsewhere.get())
                    + "], not [" + section + "]");
        }
        throw error("unknown key \"" + name + "\"" + Suggestions.didYouMean(name, schema.keyNames(section)));
    }

    /** Names the key of a line like {@code Control-Auth secret} without ever echoing unknown text. */
    private String knownKeyHint(String line) {
        String firstWord = line.split("[\\s:]", 2)[0];
        return schema.keyInAnySection(firstWord).map(k -> " for key \"" + k.name() + "\"").orElse("");
    }

    private ConfigException error(String message) {
        return new ConfigException(sourceName + ":" + lineNumber + ": " + message);
    }
}
