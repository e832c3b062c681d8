package io.gravwell.datastore.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import io.gravwell.datastore.node.config.NodeConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LogSetupTest {
  private static final String CONFIG = """
      [Global]
      Datastore-Node-Id=n1
      Datastore-Peer=n1,10.0.0.1:9406,10.0.0.1:9405
      Control-Auth=secret-for-the-test
      Datastore-Insecure-Disable-TLS=true
      Datastore-Raft-Insecure-Disable-TLS=true
      """;
  private static final String ELECTIONS = "org.apache.ratis.server.impl.RaftServerImpl";
  private static final String RAFT_LOG = "org.apache.ratis.server.raftlog.segmented.SegmentedRaftLog";
  private static final String SHADED_NETTY = "org.apache.ratis.thirdparty.io.netty.channel.DefaultChannelPipeline";
  private static final List<String> TOUCHED = List.of(Logger.ROOT_LOGGER_NAME, LogSetup.RAFT_LOGGERS,
      LogSetup.RAFT_TRANSPORT_LOGGERS, ELECTIONS);

  private final LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
  private final Map<String, Level> saved = new HashMap<>();

  @BeforeEach
  void shipsLikeLogbackXml() {
    TOUCHED.forEach(name -> saved.put(name, ctx.getLogger(name).getLevel()));
    ctx.getLogger(LogSetup.RAFT_LOGGERS).setLevel(Level.WARN);
    ctx.getLogger(ELECTIONS).setLevel(Level.INFO);
  }

  @AfterEach
  void restore() {
    saved.forEach((name, level) -> ctx.getLogger(name).setLevel(level));
  }

  private static NodeConfig config(String extra) {
    return NodeConfig.parse(CONFIG + extra, "test.conf", Map.of());
  }

  @Test
  void withoutTheKeyRaftStaysQuietExceptElections() {
    LogSetup.apply(config(""));
    assertThat(LoggerFactory.getLogger(RAFT_LOG).isInfoEnabled()).isFalse();
    assertThat(LoggerFactory.getLogger(ELECTIONS).isInfoEnabled()).isTrue();
  }

  @Test
  void debugReachesEveryPartOfRaftButNotItsShadedTransport() {
    LogSetup.apply(config("Log-Raft-Level=DEBUG\n"));
    assertThat(LoggerFactory.getLogger(RAFT_LOG).isDebugEnabled()).isTrue();
    assertThat(LoggerFactory.getLogger(ELECTIONS).isDebugEnabled()).isTrue();
    assertThat(LoggerFactory.getLogger(SHADED_NETTY).isDebugEnabled()).isFalse();
    assertThat(LoggerFactory.getLogger(SHADED_NETTY).isWarnEnabled()).isTrue();
  }

  @Test
  void aCoarserLevelQuietsTheElectionsToo() {
    LogSetup.apply(config("Log-Raft-Level=ERROR\n"));
    assertThat(LoggerFactory.getLogger(ELECTIONS).isInfoEnabled()).isFalse();
    assertThat(LoggerFactory.getLogger(RAFT_LOG).isWarnEnabled()).isFalse();
    assertThat(LoggerFactory.getLogger(SHADED_NETTY).isWarnEnabled()).isFalse();
  }
}
