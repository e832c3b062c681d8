package io.gravwell.datastore.node.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.junit.jupiter.api.Test;

class RaftSettingsTest {

  private static RaftProperties with(Duration electionTimeout, Map<String, String> overrides) {
    return RaftSettings.serverProperties(Path.of("/var/lib/ds/raft"), "127.0.0.1", 9406, 10_000,
        electionTimeout, overrides);
  }

  /** Followers sleep a random time between the configured timeout and twice it; heartbeats follow min / 2. */
  @Test
  void theElectionTimeoutIsTheLowerBoundAndTwiceItTheUpper() {
    RaftProperties p = with(Duration.ofMillis(250), Map.of());
    assertThat(RaftServerConfigKeys.Rpc.timeoutMin(p).toLong(TimeUnit.MILLISECONDS)).isEqualTo(250);
    assertThat(RaftServerConfigKeys.Rpc.timeoutMax(p).toLong(TimeUnit.MILLISECONDS)).isEqualTo(500);

    RaftProperties slow = with(Duration.ofSeconds(2), Map.of());
    assertThat(RaftServerConfigKeys.Rpc.timeoutMin(slow).toLong(TimeUnit.MILLISECONDS)).isEqualTo(2_000);
    assertThat(RaftServerConfigKeys.Rpc.timeoutMax(slow).toLong(TimeUnit.MILLISECONDS)).isEqualTo(4_000);
  }

  @Test
  void explicitRatisOverridesWin() {
    RaftProperties p = with(Duration.ofMillis(200), Map.of(RaftServerConfigKeys.Rpc.TIMEOUT_MAX_KEY, "900ms"));
    assertThat(RaftServerConfigKeys.Rpc.timeoutMin(p).toLong(TimeUnit.MILLISECONDS)).isEqualTo(200);
    assertThat(RaftServerConfigKeys.Rpc.timeoutMax(p).toLong(TimeUnit.MILLISECONDS)).isEqualTo(900);
  }

  @Test
  void storageIsUnderTheDataDirectoryAndReadsAreLinearizable() {
    RaftProperties p = with(Duration.ofMillis(200), Map.of());
    assertThat(RaftServerConfigKeys.storageDir(p)).extracting(java.io.File::toPath)
        .containsExactly(Path.of("/var/lib/ds/raft"));
    assertThat(RaftServerConfigKeys.Read.option(p)).isEqualTo(RaftServerConfigKeys.Read.Option.LINEARIZABLE);
  }
}
