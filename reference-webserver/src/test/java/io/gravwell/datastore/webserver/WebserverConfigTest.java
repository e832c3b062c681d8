package io.gravwell.datastore.webserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gravwell.datastore.config.ConfigException;
import io.gravwell.datastore.config.HostAndPort;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebserverConfigTest {
  private static final String MINIMAL = "[Global]\nDatastore=a, b:9415\nDatastore=[::1]\n"
      + "Control-Auth=s3cret\nWebserver-UUID=3f1c2a9e-7b4d-4e21-9a55-0c6f1d2e8b70\n";

  @Test
  void defaultsAndEndpointLists() {
    WebserverConfig c = WebserverConfig.parse(MINIMAL, "w.conf", Map.of());
    assertThat(c.datastores()).containsExactly(
        new HostAndPort("a", 9405), new HostAndPort("b", 9415), new HostAndPort("::1", 9405));
    assertThat(c.updateInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.domain()).isEqualTo("default");
    assertThat(c.webListenAddress()).isEqualTo("127.0.0.1");
    assertThat(c.webPort()).isEqualTo(8080);
    assertThat(c.maxSearchHistory()).isEqualTo(100);
    assertThat(c.resourceMaxSize()).isEqualTo(536_870_912L);
    assertThat(c.dataDir()).isEqualTo(Path.of("/opt/gravwell/webserver-data"));
    assertThat(c.toString()).doesNotContain("s3cret");
  }

  @Test
  void environmentOverridesTheFile() {
    WebserverConfig c = WebserverConfig.parse(MINIMAL, "w.conf",
        Map.of("GRAVWELL_DATASTORE_UPDATE_INTERVAL", "3", "GRAVWELL_WEB_PORT", "0"));
    assertThat(c.updateInterval()).isEqualTo(Duration.ofSeconds(3));
    assertThat(c.webPort()).isZero();
  }

  @Test
  void mistakesNameTheKey() {
    assertThatThrownBy(() -> WebserverConfig.parse("[Global]\nDatastore=a\nControl-Auth=x\n", "w.conf", Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("Webserver-UUID");
    assertThatThrownBy(() -> WebserverConfig.parse(MINIMAL + "Webserver-Data-Dir=relative\n", "w.conf", Map.of()))
        .hasMessageContaining("w.conf:6").hasMessageContaining("absolute");
    assertThatThrownBy(() -> WebserverConfig.parse(MINIMAL + "Datastore-Insecure-Skip-TLS-Verify=true\n"
        + "Datastore-CA-File=/ca.pem\n", "w.conf", Map.of()))
        .hasMessageContaining("Datastore-CA-File").hasMessageContaining("Datastore-Insecure-Skip-TLS-Verify");
  }
}
