package io.gravwell.datastore.node.config;

import io.gravwell.datastore.config.ConfigException;
import io.gravwell.datastore.config.ConfigKey;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.StringLength;

/** Whatever the input, the only way parsing may fail is a ConfigException. */
class ConfigGarbagePropertiesTest {

    @Property(tries = 2000)
    void randomTextParsesOrThrowsConfigException(@ForAll @StringLength(max = 400) String text) {
        assertParsesOrConfigException(text);
    }

    @Property(tries = 2000)
    void plausibleLinesParseOrThrowConfigException(@ForAll("plausibleFiles") String text) {
        assertParsesOrConfigException(text);
    }

    @Property(tries = 500)
    void randomEnvironmentParsesOrThrowsConfigException(
            @ForAll("plausibleFiles") String text, @ForAll("environments") Map<String, String> env) {
        try {
            NodeConfig.parse(text, "fuzz.conf", env);
        } catch (ConfigException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    private static void assertParsesOrConfigException(String text) {
        try {
            NodeConfig.parse(text, "fuzz.conf", Map.of());
        } catch (ConfigException expected) {
            assertThat(expected.getMessage()).startsWith("fuzz.conf");
        }
    }

    @Provide
    Arbitrary<String> plausibleFiles() {
        Arbitrary<String> keys = Arbitraries.oneOf(
                Arbitraries.of(NodeConfigKeys.ALL).map(ConfigKey::name),
                Arbitraries.strings().withChars("ADEKPT-aeilnoprst").ofMaxLength(20));
        Arbitrary<String> values = Arbitraries.oneOf(
                Arbitraries.strings().withChars("0123456789:.,[]\"#\\ abcdKMGiBmshx-/;n").ofMaxLength(40),
                Arbitraries.of("9405", "n1,a:1,a:2", "1MiB", "7d", "yes", "/opt/x", "\"quoted # x\"", "",
                        "123e4567-e89b-12d3-a456-426614174000", "[::1]", "INFO"));
        Arbitrary<String> keyValue = Arbitraries.strings().withChars(" =\t").ofMaxLength(3)
                .flatMap(sep -> keys.flatMap(k -> values.map(v -> k + (sep.contains("=") ? sep : sep + "=") + v)));
        Arbitrary<String> line = Arbitraries.frequencyOf(
                Tuple.of(8, keyValue),
                Tuple.of(2, Arbitraries.of("[Global]", "[global] # x", "[Other]", "[", "# c", "", "=")),
                Tuple.of(1, Arbitraries.strings().ofMaxLength(30)));
        return line.list().ofMaxSize(25).map(lines -> "[Global]\n" + String.join("\n", lines));
    }

    @Provide
    Arbitrary<Map<String, String>> environments() {
        Arbitrary<String> names = Arbitraries.of(NodeConfigKeys.ALL).map(ConfigKey::envVariable)
                .flatMap(v -> Arbitraries.of(v, v + "_FILE", "GRAVWELL_UNRELATED"));
        Arbitrary<String> values = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(30),
                Arbitraries.of("/nonexistent/file", "/", "\u0000", "n1,a:1,a:2;n2,b:1,b:2", "1"));
        return Arbitraries.maps(names, values).ofMaxSize(4);
    }

}
