package io.gravwell.datastore.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The sections a config file may have and the keys each section accepts; everything else is an error. */
public final class ConfigSchema {
    private final Map<String, String> sectionsByLookupName;
    private final Map<String, Map<String, ConfigKey<?>>> keysBySection;
    private final Map<ConfigKey<?>, String> sectionOfKey;

    private ConfigSchema(Builder b) {
        this.sectionsByLookupName = Collections.unmodifiableMap(new LinkedHashMap<>(b.sections));
        Map<String, Map<String, ConfigKey<?>>> copy = new LinkedHashMap<>();
        b.keys.forEach((section, keys) -> copy.put(section, Collections.unmodifiableMap(new LinkedHashMap<>(keys))));
        this.keysBySection = Collections.unmodifiableMap(copy);
        this.sectionOfKey = Collections.unmodifiableMap(new LinkedHashMap<>(b.sectionOfKey));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Canonical spelling of a section, looked up ignoring case. */
    public Optional<String> section(String name) {
        return Optional.ofNullable(sectionsByLookupName.get(name.toLowerCase(Locale.ROOT)));
    }

    public List<String> sections() {
        return List.copyOf(sectionsByLookupName.values());
    }

    public Optional<ConfigKey<?>> key(String section, String keyName) {
        return Optional.ofNullable(keysBySection.get(section).get(keyName.toLowerCase(Locale.ROOT)));
    }

    /** A key of any section; used to tell the operator a key is in the wrong section. */
    public Optional<ConfigKey<?>> keyInAnySection(String keyName) {
        String lookup = keyName.toLowerCase(Locale.ROOT);
        for (Map<String, ConfigKey<?>> keys : keysBySection.values()) {
            ConfigKey<?> key = keys.get(lookup);
            if (key != null) {
                return Optional.of(key);
            }
        }
        return Optional.empty();
    }

    public List<ConfigKey<?>> keys() {
        return List.copyOf(sectionOfKey.keySet());
    }

    public List<ConfigKey<?>> keys(String section) {
        return List.copyOf(keysBySection.get(section).values());
    }

    public String sectionOf(ConfigKey<?> key) {
        String section = sectionOfKey.get(key);
        if (section == null) {
            throw new IllegalArgumentException("key not in this schema: " + key);
        }
        return section;
    }

    List<String> keyNames(String section) {
        return keysBySection.get(section).values().stream().map(ConfigKey::name).toList();
    }

    public static final class Builder {
        private final Map<String, String> sections = new LinkedHashMap<>();
        private final Map<String, Map<String, ConfigKey<?>>> keys = new LinkedHashMap<>();
        private final Map<ConfigKey<?>, String> sectionOfKey = new LinkedHashMap<>();
        private final Map<String, ConfigKey<?>> byEnvVariable = new HashMap<>();

        private Builder() {}

        public Builder section(String name, List<? extends ConfigKey<?>> sectionKeys) {
            String lookup = name.toLowerCase(Locale.ROOT);
            if (sections.containsKey(lookup)) {
                throw new IllegalArgumentException("section declared twice: " + name);
            }
            sections.put(lookup, name);
            Map<String, ConfigKey<?>> map = new LinkedHashMap<>();
            for (ConfigKey<?> key : new ArrayList<>(sectionKeys)) {
                addKey(name, map, key);
            }
            keys.put(name, map);
            return this;
        }

        private void addKey(String section, Map<String, ConfigKey<?>> map, ConfigKey<?> key) {
            if (sectionOfKey.containsKey(key) || byEnvVariable.containsKey(key.envVariable())) {
                throw new IllegalArgumentException("config key declared twice: " + key);
            }
            // GRAVWELL_X_FILE must be unambiguous: key "X-File" would collide with key "X" read from a file.
            if (byEnvVariable.containsKey(key.envVariable() + "_FILE")
                    || (key.envVariable().endsWith("_FILE") && byEnvVariable.containsKey(
                            key.envVariable().substring(0, key.envVariable().length() - 5)))) {
                throw new IllegalArgumentException("config key " + key + " collides with another key's _FILE variable");
            }
            byEnvVariable.put(key.envVariable(), key);
            sectionOfKey.put(key, section);
            map.put(key.lookupName(), key);
        }

        public ConfigSchema build() {
            return new ConfigSchema(this);
        }
    }
}
