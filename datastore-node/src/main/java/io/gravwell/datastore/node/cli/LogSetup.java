package io.gravwell.datastore.node.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.core.FileAppender;
import io.gravwell.datastore.node.config.NodeConfig;
import org.slf4j.LoggerFactory;

/** Applies Log-Level, Log-Raft-Level and Log-File from the node config to logback. */
final class LogSetup {
  /** The consensus library's loggers; logback.xml quiets them below WARN, except its elections. */
  static final String RAFT_LOGGERS = "org.apache.ratis";
  /** Its shaded gRPC and Netty, whose DEBUG is byte-level noise, not consensus. */
  static final String RAFT_TRANSPORT_LOGGERS = "org.apache.ratis.thirdparty";

  private LogSetup() {}

  static void apply(NodeConfig config) {
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.toLevel(config.logLevel().name(), Level.INFO));
    config.logRaftLevel().ifPresent(level -> setRaftLevel(ctx, Level.toLevel(level.name())));
    if (config.logFile().isPresent()) {
      PatternLayoutEncoder encoder = new PatternLayoutEncoder();
      encoder.setContext(ctx);
      encoder.setPattern("%d{ISO8601} %-5level [%thread] %logger{36} - %msg%n");
      encoder.start();
      FileAppender<ch.qos.logback.classic.spi.ILoggingEvent> file = new FileAppender<>();
      file.setContext(ctx);
      file.setName("file");
      file.setFile(config.logFile().get().toString());
      file.setEncoder(encoder);
      file.start();
      root.addAppender(file);
    }
  }

  /**
   * One level for all of Ratis: the finer levels logback.xml sets below it (elections at INFO) are cleared,
   * so that DEBUG reaches every part (the log, the appenders, the follower's checks) and WARN quiets all.
   * The shaded transport stays at WARN or above.
   */
  private static void setRaftLevel(LoggerContext ctx, Level level) {
    for (Logger logger : ctx.getLoggerList()) {
      if (logger.getName().startsWith(RAFT_LOGGERS + ".")) {
        logger.setLevel(null);
      }
    }
    ctx.getLogger(RAFT_LOGGERS).setLevel(level);
    ctx.getLogger(RAFT_TRANSPORT_LOGGERS).setLevel(level.isGreaterOrEqual(Level.WARN) ? level : Level.WARN);
  }
}
