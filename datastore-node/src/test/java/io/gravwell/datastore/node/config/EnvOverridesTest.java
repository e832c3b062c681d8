package io.gravwell.datastore.node.config;

import io.gravwell.datastore.config.ConfigException;
import io.gravwell.datastore.config.HostAndPort;
import io.gravwell.datastore.config.LogLevel;

import static io.gravwell.datastore.node.config.NodeConfigTestFiles.MINIMAL;
import static io.gravwell.datastore.node.config.NodeConfigTestFiles.SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvOverridesTest {

    private static NodeConfig parse(String text, Map<String, String> env) {
        return NodeConfig.parse(text, "gravwell.conf", env);
    }

    @Test
    void variableOverridesTheFile() {
        NodeConfig c = parse(MINIMAL + "Datastore-Port=1111\n",
                Map.of("GRAVWELL_DATASTORE_PORT", "2222", "GRAVWELL_LOG_LEVEL", "trace"));
        assertThat(c.port()).isEqualTo(2222);
        assertThat(c.logLevel()).isEqualTo(LogLevel.TRACE);
        assertThat(c.config().origin(NodeConfigKeys.DATASTORE_PORT))
                .isEqualTo("environment variable GRAVWELL_DATASTORE_PORT");
    }

    @Test
    void requiredKeysMayComeFromTheEnvironmentAlone() {
        String noSecret = MINIMAL.replace("Control-Auth=" + SECRET + "\n", "");
        NodeConfig c = parse(noSecret, Map.of("GRAVWELL_CONTROL_AUTH", "from-env"));
        assertThat(c.controlAuth().reveal()).isEqualTo("from-env");
    }

    @Test
    void fileVariableReadsTheTrimmedValueFromAFile(@TempDir Path dir) throws Exception {
        Path secretFile = dir.resolve("control-auth");
        Files.writeString(secretFile, "  docker-secret\n\n");
        NodeConfig c = parse(MINIMAL, Map.of("GRAVWELL_CONTROL_AUTH_FILE", secretFile.toString()));
        assertThat(c.controlAuth().reveal()).isEqualTo("docker-secret");
    }

    @Test
    void unreadableFileVariableNamesTheVariable(@TempDir Path dir) {
        String missing = dir.resolve("nope").toString();
        assertThatThrownBy(() -> parse(MINIMAL, Map.of("GRAVWELL_CONTROL_AUTH_FILE", missing)))
                .isInstanceOf(ConfigException.class)
                .hasMessage("environment variable GRAVWELL_CONTROL_AUTH_FILE: cannot read file \"" + missing
                        + "\": NoSuchFileException");
    }

    @Test
    void badValueNamesTheVariable() {
        assertThatThrownBy(() -> parse(MINIMAL, Map.of("GRAVWELL_DATASTORE_PORT", "port")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("environment variable GRAVWELL_DATASTORE_PORT: invalid value \"port\" for"
                        + " \"Datastore-Port\": expected a whole number");
    }

    @Test
    void badSecretFromEnvironmentIsNotShown(@TempDir Path dir) throws Exception {
        Path secretFile = dir.resolve("blank");
        Files.writeString(secretFile, "   \n");
        assertThatThrownBy(() -> parse(MINIMAL, Map.of("GRAVWELL_CONTROL_AUTH_FILE", secretFile.toString())))
                .isInstanceOf(ConfigException.class)
                .hasMessage("environment variable GRAVWELL_CONTROL_AUTH_FILE (file " + secretFile + "):"
                        + " invalid value (secret, not shown) for \"Control-Auth\": must not be empty");
    }

    @Test
    void bothVariantsSetIsAnError() {
        assertThatThrownBy(() -> parse(MINIMAL,
                        Map.of("GRAVWELL_CONTROL_AUTH", "a", "GRAVWELL_CONTROL_AUTH_FILE", "/run/secrets/x")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("GRAVWELL_CONTROL_AUTH and GRAVWELL_CONTROL_AUTH_FILE")
                .hasMessageContaining("\"Control-Auth\"");
    }

    @Test
    void unknownGravwellVariablesAreIgnored() {
        NodeConfig c = parse(MINIMAL, Map.of("GRAVWELL_WEBSERVER_UUID", "x", "GRAVWELL_DATASTORE_PROT", "1",
                "PATH", "/usr/bin"));
        assertThat(c.port()).isEqualTo(9405);
    }

    @Test
    void repeatableKeyTakesSemicolonOrNewlineSeparatedValues() {
        NodeConfig c = parse(MINIMAL, Map.of("GRAVWELL_DATASTORE_PEER",
                "n1,a:1,a:2; n2,b:1,b:2\nn3,c:1,c:2\n"));
        assertThat(c.peers()).extracting(PeerSpec::id).containsExactly("n1", "n2", "n3");
        assertThat(c.self().raft()).isEqualTo(new HostAndPort("a", 1));
    }
}
