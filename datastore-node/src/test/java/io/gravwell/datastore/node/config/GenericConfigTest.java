package io.gravwell.datastore.node.config;

import io.gravwell.datastore.config.Config;
import io.gravwell.datastore.config.ConfigException;
import io.gravwell.datastore.config.ConfigKey;
import io.gravwell.datastore.config.ConfigSchema;
import io.gravwell.datastore.config.HostAndPort;
import io.gravwell.datastore.config.Parsers;
import io.gravwell.datastore.config.ValueParser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The generic reader with a schema that is not the node's, as a webserver module would use it. */
class GenericConfigTest {
    static final ConfigKey<List<HostAndPort>> DATASTORE = ConfigKey.builder("Datastore",
                    Parsers.list(Parsers.hostAndPort()))
            .required().description("endpoints").build();
    static final ConfigKey<String> TAG = ConfigKey.builder("Tag", Parsers.string()).repeatable().build();
    static final ConfigKey<Integer> MAX_HISTORY = ConfigKey.builder("Max-Search-History", Parsers.intRange(1, 1000))
            .defaultValue(100).build();
    static final ConfigKey<String> LISTENER_NAME = ConfigKey.builder("Listener-Name", Parsers.string()).build();

    static final ConfigSchema SCHEMA = ConfigSchema.builder()
            .section("Global", List.of(DATASTORE, TAG, MAX_HISTORY))
            .section("Extra", List.of(LISTENER_NAME))
            .build();

    private static Config parse(String text) {
        return Config.parse(SCHEMA, text, "webserver.conf", Map.of());
    }

    @Test
    void listsRepeatableKeysDefaultsAndSections() {
        Config c = parse("""
                [Global]
                Datastore=ds1:9405, ds2:9405,[::1]:9405
                Tag=a
                tag=b
                [EXTRA]
                Listener-Name=""
                """);
        assertThat(c.get(DATASTORE)).hasSize(3).contains(new HostAndPort("::1", 9405));
        assertThat(c.getAll(TAG)).containsExactly("a", "b");
        assertThat(c.get(MAX_HISTORY)).isEqualTo(100);
        assertThat(c.isSet(MAX_HISTORY)).isFalse();
        assertThat(c.get(LISTENER_NAME)).isEmpty();
        assertThat(c.origin(TAG)).isEqualTo("webserver.conf:3, webserver.conf:4");
    }

    @Test
    void optionalKeyWithoutDefaultIsEmpty() {
        Config c = parse("[Global]\nDatastore=a:1\n");
        assertThat(c.find(LISTENER_NAME)).isEmpty();
        assertThat(c.getAll(TAG)).isEmpty();
        assertThatThrownBy(() -> c.get(LISTENER_NAME)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> c.get(TAG)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void keyInTheWrongSection() {
        assertThatThrownBy(() -> parse("[Global]\nDatastore=a:1\n[Extra]\nTag=x\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("webserver.conf:4: key \"Tag\" belongs in [Global], not [Extra]");
    }

    @Test
    void envVariableNames() {
        assertThat(MAX_HISTORY.envVariable()).isEqualTo("GRAVWELL_MAX_SEARCH_HISTORY");
        assertThat(NodeConfigKeys.DATASTORE_PORT.envVariable()).isEqualTo("GRAVWELL_DATASTORE_PORT");
    }

    @Test
    void schemaRejectsAmbiguousKeys() {
        ConfigKey<String> x = ConfigKey.builder("X", Parsers.string()).build();
        ConfigKey<String> xFile = ConfigKey.builder("X-File", Parsers.string()).build();
        ConfigKey<String> otherX = ConfigKey.builder("x", Parsers.string()).build();
        assertThatThrownBy(() -> ConfigSchema.builder().section("G", List.of(x, xFile)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ConfigSchema.builder().section("G", List.of(x, otherX)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ConfigKey.builder("Bad Name", Parsers.string()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aParserThatEchoesASecretIsCensored() {
        ConfigKey<String> token = ConfigKey.builder("Token", (ValueParser<String>) s -> {
            throw new IllegalArgumentException("bad token " + s);
        }).secret().build();
        ConfigSchema schema = ConfigSchema.builder().section("Global", List.of(token)).build();
        assertThatThrownBy(() -> Config.parse(schema, "[Global]\nToken=hunter2\n", "x.conf", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("x.conf:2: invalid value (secret, not shown) for \"Token\": rejected");
    }

    @Test
    void aBuggyParserStillYieldsAConfigException() {
        ConfigKey<String> npe = ConfigKey.builder("Npe", (ValueParser<String>) s -> {
            throw new NullPointerException();
        }).build();
        ConfigSchema schema = ConfigSchema.builder().section("Global", List.of(npe)).build();
        assertThatThrownBy(() -> Config.parse(schema, "[Global]\nNpe=1\n", "x.conf", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("x.conf:2: invalid value \"1\" for \"Npe\": rejected by the parser (NullPointerException)");
    }
}
