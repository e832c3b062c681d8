package io.gravwell.datastore.node.config;

import io.gravwell.datastore.config.ConfigException;

import static io.gravwell.datastore.node.config.NodeConfigTestFiles.MINIMAL;
import static io.gravwell.datastore.node.config.NodeConfigTestFiles.SECRET;
import static io.gravwell.datastore.node.config.NodeConfigTestFiles.minimalPlus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every error names the file, the line (when there is one) and the key, and never a secret. */
class NodeConfigErrorsTest {

    /** The message of the ConfigException that parsing must throw; checked for secret leaks on the way. */
    static String errorOf(String text) {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> NodeConfig.parse(text, "gravwell.conf", Map.of()));
        assertThat(e).as("expected a ConfigException").isNotNull();
        assertThat(e.getMessage()).doesNotContain(SECRET).startsWith("gravwell.conf");
        return e.getMessage();
    }

    @Test
    void unknownKeySuggestsTheClosestKnownKey() {
        assertThat(errorOf(minimalPlus("Datastore-Prot=9405")))
                .isEqualTo("gravwell.conf:9: unknown key \"Datastore-Prot\" (did you mean \"Datastore-Port\"?)");
        assertThat(errorOf(minimalPlus("Completely-Different=1")))
                .isEqualTo("gravwell.conf:9: unknown key \"Completely-Different\"");
    }

    @Test
    void keyOutsideASection() {
        assertThat(errorOf("Datastore-Port=1\n" + MINIMAL))
                .isEqualTo("gravwell.conf:1: key \"Datastore-Port\" is outside a section; put it under [Global]");
    }

    @Test
    void unknownSection() {
        assertThat(errorOf(minimalPlus("[Globl]")))
                .startsWith("gravwell.conf:9: unknown section [Globl] (did you mean \"Global\"?)");
        assertThat(errorOf(minimalPlus("[Global")))
                .isEqualTo("gravwell.conf:9: malformed section header: expected [Name]");
    }

    @Test
    void malformedLines() {
        assertThat(errorOf(minimalPlus("just some words")))
                .isEqualTo("gravwell.conf:9: malformed line: expected Key=Value, [Section] or # comment");
        assertThat(errorOf(minimalPlus("Bad Key=1")))
                .isEqualTo("gravwell.conf:9: malformed line: invalid key name (letters, digits and '-' only)");
        assertThat(errorOf(minimalPlus("Log-File=\"/var/log/x")))
                .isEqualTo("gravwell.conf:9: malformed value for \"Log-File\": missing closing quote");
        assertThat(errorOf(minimalPlus("Log-File=\"/var/log/x\" trailing")))
                .isEqualTo("gravwell.conf:9: malformed value for \"Log-File\": unexpected text after the closing quote");
    }

    @Test
    void malformedSecretLineNamesTheKeyButNotTheValue() {
        String text = MINIMAL.replace("Control-Auth=" + SECRET, "Control-Auth " + SECRET);
        assertThat(errorOf(text)).isEqualTo(
                "gravwell.conf:6: malformed line for key \"Control-Auth\": expected Key=Value, [Section] or # comment");
    }

    @Test
    void duplicateKey() {
        assertThat(errorOf(minimalPlus("Datastore-Port=1\ndatastore-port=2")))
                .startsWith("gravwell.conf:10: duplicate key \"Datastore-Port\" (already set on line 9;");
        assertThat(errorOf(minimalPlus("Control-Auth=" + SECRET + "x")))
                .startsWith("gravwell.conf:9: duplicate key \"Control-Auth\" (already set on line 6;");
    }

    @Test
    void badValuesNameLineKeyAndReason() {
        assertThat(errorOf(minimalPlus("Datastore-Port=70000")))
                .isEqualTo("gravwell.conf:9: invalid value \"70000\" for \"Datastore-Port\": must be between 1 and 65535");
        assertThat(errorOf(minimalPlus("Datastore-Port=abc")))
                .isEqualTo("gravwell.conf:9: invalid value \"abc\" for \"Datastore-Port\": expected a whole number");
        assertThat(errorOf(minimalPlus("Datastore-Insecure-Disable-TLS=maybe")))
                .isEqualTo("gravwell.conf:9: invalid value \"maybe\" for \"Datastore-Insecure-Disable-TLS\":"
                        + " expected true/false, yes/no or 1/0");
        assertThat(errorOf(minimalPlus("Datastore-Request-Timeout=10 minutes")))
                .startsWith("gravwell.conf:9: invalid value \"10 minutes\" for \"Datastore-Request-Timeout\": expected a duration");
        assertThat(errorOf(minimalPlus("Datastore-Request-Timeout=0s")))
                .endsWith("for \"Datastore-Request-Timeout\": must be greater than zero");
        assertThat(errorOf(minimalPlus("Datastore-Election-Timeout=50ms")))
                .endsWith("for \"Datastore-Election-Timeout\": must be at least 100ms (the leader's heartbeats come every half of it)");
        assertThat(errorOf(minimalPlus("Datastore-Max-Frame-Size=4MB")))
                .startsWith("gravwell.conf:9: invalid value \"4MB\" for \"Datastore-Max-Frame-Size\": ambiguous unit");
        assertThat(errorOf(minimalPlus("Datastore-Max-Entry-Size=4MiB")))
                .isEqualTo("gravwell.conf:9: invalid value \"4MiB\" for \"Datastore-Max-Entry-Size\":"
                        + " must be below 3.5MiB (Ratis' log appender rejects entries of 4 MB)");
        assertThat(errorOf(minimalPlus("Datastore-Data-Dir=relative/dir")))
                .endsWith("for \"Datastore-Data-Dir\": must be an absolute path");
        assertThat(errorOf(minimalPlus("Log-Level=LOUD")))
                .endsWith("for \"Log-Level\": expected one of ERROR, WARN, INFO, DEBUG, TRACE");
        assertThat(errorOf(minimalPlus("Datastore-Raft-Group-Id=not-a-uuid")))
                .contains(":9: invalid value \"not-a-uuid\" for \"Datastore-Raft-Group-Id\"");
        assertThat(errorOf(MINIMAL.replace("Datastore-Node-Id=n1", "Datastore-Node-Id=n 1")))
                .startsWith("gravwell.conf:2: invalid value \"n 1\" for \"Datastore-Node-Id\": may only contain");
    }

    @Test
    void badPeerLines() {
        assertThat(errorOf(minimalPlus("Datastore-Peer=n4,10.0.0.4:9406")))
                .isEqualTo("gravwell.conf:9: invalid value \"n4,10.0.0.4:9406\" for \"Datastore-Peer\":"
                        + " expected ID,RAFT_HOST:PORT,CLIENT_HOST:PORT");
        assertThat(errorOf(minimalPlus("Datastore-Peer=n4,10.0.0.4,10.0.0.4:9405")))
                .endsWith("for \"Datastore-Peer\": Raft address: expected HOST:PORT (the port is missing)");
        assertThat(errorOf(minimalPlus("Datastore-Peer=n4,10.0.0.4:9406,10.0.0.4:0")))
                .endsWith("for \"Datastore-Peer\": client address: must be between 1 and 65535");
    }

    @Test
    void secretValuesAreNeverShown() {
        String empty = MINIMAL.replace("Control-Auth=" + SECRET, "Control-Auth=\"  \"");
        assertThat(errorOf(empty)).isEqualTo(
                "gravwell.conf:6: invalid value (secret, not shown) for \"Control-Auth\": must not be empty");
    }

    @Test
    void missingRequiredKeys() {
        assertThat(errorOf(MINIMAL.replace("Control-Auth=" + SECRET, "")))
                .isEqualTo("gravwell.conf: missing required key \"Control-Auth\" in [Global] (or set GRAVWELL_CONTROL_AUTH)");
        assertThat(errorOf(MINIMAL.replaceAll("Datastore-Peer=.*\n", "")))
                .startsWith("gravwell.conf: missing required key \"Datastore-Peer\"");
        assertThat(errorOf(MINIMAL.replace("Datastore-Node-Id=n1", "")))
                .startsWith("gravwell.conf: missing required key \"Datastore-Node-Id\"");
    }

    @Test
    void crossKeyRulesNameEveryKeyInvolved() {
        assertThat(errorOf(MINIMAL.replace("Key-File=/opt/gravwell/etc/key.pem", "")))
                .startsWith("gravwell.conf: missing \"Key-File\": Certificate-File and Key-File are required"
                        + " unless Datastore-Insecure-Disable-TLS=true")
                .contains("Key-File from default", "Datastore-Insecure-Disable-TLS from default");
        assertThat(errorOf(minimalPlus("Datastore-Max-Entry-Size=3MiB\nDatastore-Max-Frame-Size=3135KiB")))
                .isEqualTo("gravwell.conf: Datastore-Max-Frame-Size (3135KiB) must be at least"
                        + " Datastore-Max-Entry-Size (3MiB) + 64KiB"
                        + " (Datastore-Max-Frame-Size from gravwell.conf:10, Datastore-Max-Entry-Size from gravwell.conf:9)");
        NodeConfig justEnough = NodeConfig.parse(minimalPlus("Datastore-Max-Entry-Size=3MiB\nDatastore-Max-Frame-Size=3136KiB"),
                "gravwell.conf", Map.of());
        assertThat(justEnough.maxFrameSize()).isEqualTo(3136 * 1024);
        assertThat(errorOf(minimalPlus("Datastore-Metrics-Port=9405")))
                .startsWith("gravwell.conf: Datastore-Port and Datastore-Metrics-Port are both 9405");
    }

    @Test
    void peersMustIncludeThisNodeAndBeUnique() {
        assertThat(errorOf(MINIMAL.replace("Datastore-Node-Id=n1", "Datastore-Node-Id=n9")))
                .isEqualTo("gravwell.conf: Datastore-Node-Id \"n9\" is not one of the Datastore-Peer ids [n1, n2, n3]"
                        + " (Datastore-Node-Id from gravwell.conf:2, Datastore-Peer from gravwell.conf:3,"
                        + " gravwell.conf:4, gravwell.conf:5)");
        assertThat(errorOf(minimalPlus("Datastore-Peer=n2,10.0.0.9:9406,10.0.0.9:9405")))
                .startsWith("gravwell.conf: Datastore-Peer id \"n2\" appears more than once");
        assertThat(errorOf(minimalPlus("Datastore-Peer=n4,10.0.0.1:9406,10.0.0.9:9405")))
                .startsWith("gravwell.conf: Datastore-Peer Raft address 10.0.0.1:9406 appears more than once");
    }
}
