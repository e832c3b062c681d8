package io.gravwell.datastore.node.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.core.FileAppender;
import io.gravwell.datastore.node.config.NodeConfig;
import org.slf4j.LoggerFactory;

/** Applies Log-Level and Log-File from the node config to logback. */
final class LogSetup {
  private LogSetup() {}

  static void apply(NodeConfig config) {
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.toLevel(config.logLevel().name(), Level.INFO));
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
}
