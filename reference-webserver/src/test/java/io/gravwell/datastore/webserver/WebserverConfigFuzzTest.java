package io.gravwell.datastore.webserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.gravwell.datastore.node.config.ConfigFileFuzzing;
import java.util.Map;

/** Arbitrary webserver config content: a usable config or a ConfigException naming file and line. */
class WebserverConfigFuzzTest {

  @FuzzTest
  void configFile(byte[] content) {
    ConfigFileFuzzing.loadsOrNamesTheProblem(content, file -> WebserverConfig.load(file, Map.of()),
        WebserverConfigFuzzTest::useLikeTheWebserver);
  }

  /** What ReferenceWebserver.start reads (TLS files aside: they are read when connecting). */
  private static void useLikeTheWebserver(WebserverConfig c) {
    assertThat(c.datastores()).isNotEmpty().allSatisfy(d -> assertThat(d.toString()).isNotBlank());
    c.externalAddr();
    assertThat(c.updateInterval().toMillis()).isPositive();
    c.webserverUuid().toString();
    assertThat(c.domain()).isNotNull();
    c.controlAuth();
    c.webListenAddress();
    assertThat(c.webPort()).isNotNegative();
    c.dataDir().resolve("store");
    assertThat(c.maxSearchHistory()).isPositive();
    assertThat(c.resourceMaxSize()).isPositive();
    c.logLevel();
    c.toString();
  }
}
