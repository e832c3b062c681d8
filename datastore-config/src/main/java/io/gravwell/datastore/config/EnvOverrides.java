package io.gravwell.datastore.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies {@code GRAVWELL_<KEY>} and {@code GRAVWELL_<KEY>_FILE} overrides, as upstream Gravwell does.
 * The environment is passed in so tests are deterministic. Variables that match no key are ignored:
 * other Gravwell components share the prefix.
 *
 * <p>An override replaces every value the file gave the key. A repeatable key takes several values
 * separated by newlines or {@code ;} (commas cannot be used: a peer spec contains commas).
 */
final class EnvOverrides {
    private EnvOverrides() {}

    static Map<ConfigKey<?>, List<RawValue>> apply(
            ConfigSchema schema, Map<ConfigKey<?>, List<RawValue>> fromFile, Map<String, String> env) {
        Map<ConfigKey<?>, List<RawValue>> out = new LinkedHashMap<>(fromFile);
        for (ConfigKey<?> key : schema.keys()) {
            String direct = key.envVariable();
            String viaFile = direct + "_FILE";
            boolean hasDirect = env.get(direct) != null;
            boolean hasFile = env.get(viaFile) != null;
            if (hasDirect && hasFile) {
                throw new ConfigException("environment variables " + direct + " and " + viaFile
                        + " both set \"" + key.name() + "\"; set only one");
            }
            if (hasDirect) {
                out.put(key, split(key, env.get(direct), "environment variable " + direct));
            } else if (hasFile) {
                String path = env.get(viaFile);
                out.put(key, split(key, readTrimmed(viaFile, path),
                        "environment variable " + viaFile + " (file " + path + ")"));
            }
        }
        return out;
    }

    private static List<RawValue> split(ConfigKey<?> key, String text, String origin) {
        if (!key.repeatable()) {
            return List.of(new RawValue(text, origin));
        }
        List<RawValue> values = new ArrayList<>();
        for (String part : text.split("[\\n;]")) {
            if (!part.isBlank()) {
                values.add(new RawValue(part.strip(), origin));
            }
        }
        return values;
    }

    private static String readTrimmed(String variable, String path) {
        try {
            return Files.readString(Path.of(path), StandardCharsets.UTF_8).strip();
        } catch (IOException | InvalidPathException e) {
            throw new ConfigException("environment variable " + variable + ": cannot read file \"" + path
                    + "\": " + e.getClass().getSimpleName(), e);
        }
    }
}
