package io.gravwell.datastore.node.config;

import io.gravwell.datastore.config.ConfigKey;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Keeps ops/config/datastore.conf.example in step with the keys and defaults in the code. */
class ExampleConfigFileTest {
    // Surefire runs with the module directory as working directory.
    private static final Path EXAMPLE = Path.of("..", "ops", "config", "datastore.conf.example");

    @Test
    void exampleParsesAndDocumentsEveryKeyWithItsDefault() throws Exception {
        String text = Files.readString(EXAMPLE);
        NodeConfig config = NodeConfig.parse(text, EXAMPLE.toString(), Map.of());
        assertThat(config.peers()).hasSize(3);
        for (ConfigKey<?> key : NodeConfigKeys.ALL) {
            assertThat(text).as(key.name()).containsIgnoringCase(key.name() + "=");
            key.defaultText().ifPresent(d -> assertThat(text).as(key.name()).contains("#" + key.name() + "=" + d + "\n"));
        }
    }

    @Test
    void uncommentedDefaultsParseToTheDefaults() throws Exception {
        String text = Files.readString(EXAMPLE).replaceAll("(?m)^#(Datastore-[A-Za-z-]+|Log-Level)=", "$1=");
        NodeConfig config = NodeConfig.parse(text, EXAMPLE.toString(), Map.of());
        NodeConfig withDefaults = NodeConfig.parse(Files.readString(EXAMPLE), EXAMPLE.toString(), Map.of());
        assertThat(config.toString()).isEqualTo(withDefaults.toString());
    }
}
