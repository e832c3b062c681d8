package io.gravwell.datastore.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ParsersTest {

    @ParameterizedTest
    @CsvSource({"500ms,500", "30s,30000", "30,30000", "10m,600000", "24h,86400000", "7d,604800000",
            "0,0", "1H,3600000", "15 s,15000"})
    void durations(String text, long millis) {
        assertThat(Durations.parse(text)).isEqualTo(Duration.ofMillis(millis));
        assertThat(Durations.parse(Durations.format(Duration.ofMillis(millis)))).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-1s", "1.5s", "1w", "s", "999999999999999999d", "200000000000d", "9223372036854776s", "1h30m"})
    void badDurations(String text) {
        assertThatThrownBy(() -> Durations.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource({"1048576,1048576", "512KiB,524288", "4MiB,4194304", "1GiB,1073741824", "1 mib,1048576",
            "10B,10", "2TiB,2199023255552"})
    void byteSizes(String text, long bytes) {
        assertThat(ByteSizes.parse(text)).isEqualTo(bytes);
        assertThat(ByteSizes.parse(ByteSizes.format(bytes))).isEqualTo(bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"4MB", "1K", "1.5MiB", "-1", "XiB", "99999999999TiB", "99999999999999999999"})
    void badByteSizes(String text) {
        assertThatThrownBy(() -> ByteSizes.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .message().doesNotContain(text);
    }

    @Test
    void booleans() {
        ValueParser<Boolean> p = Parsers.bool();
        for (String t : List.of("true", "YES", "1", " True ")) {
            assertThat(p.parse(t)).isTrue();
        }
        for (String t : List.of("false", "no", "0", "NO")) {
            assertThat(p.parse(t)).isFalse();
        }
        assertThatThrownBy(() -> p.parse("on")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void hostAndPort() {
        assertThat(HostAndPort.parse("db1.example.com:9405")).isEqualTo(new HostAndPort("db1.example.com", 9405));
        assertThat(HostAndPort.parse("[::1]:9405")).isEqualTo(new HostAndPort("::1", 9405));
        assertThat(new HostAndPort("::1", 9405)).hasToString("[::1]:9405");
        for (String bad : List.of("host", "::1:9405", "host:", ":9405", "host:99999", "[::1]9405", "a b:1")) {
            assertThatThrownBy(() -> HostAndPort.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void lists() {
        ValueParser<List<HostAndPort>> p = Parsers.list(Parsers.hostAndPort());
        assertThat(p.parse("a:1, b:2")).containsExactly(new HostAndPort("a", 1), new HostAndPort("b", 2));
        assertThatThrownBy(() -> p.parse("a:1,,b:2")).hasMessage("item 2 of the list is empty");
        assertThatThrownBy(() -> p.parse("a:1,b")).hasMessageStartingWith("item 2 of the list: expected HOST:PORT");
    }

    @Test
    void suggestionsUseEditDistance() {
        assertThat(Suggestions.distance("kitten", "sitting")).isEqualTo(3);
        assertThat(Suggestions.closest("datastore-raft-prot", List.of("Datastore-Port", "Datastore-Raft-Port")))
                .contains("Datastore-Raft-Port");
        assertThat(Suggestions.closest("xyz", List.of("Datastore-Port"))).isEmpty();
    }
}
