package io.gravwell.datastore.webserver;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import io.gravwell.datastore.config.ConfigException;
import io.gravwell.datastore.protocol.tls.TlsException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code webserver -c FILE}: runs the reference webserver until SIGINT/SIGTERM. Exit 2 on bad config. */
@Command(name = "webserver", mixinStandardHelpOptions = true, version = "webserver 0.1.0",
    description = "Reference webserver: a REST API over a local store kept in sync through the datastore cluster.")
public final class ReferenceWebserverMain implements Callable<Integer> {
  static final int EXIT_OK = 0;
  static final int EXIT_FAILED = 1;
  static final int EXIT_USAGE = 2;

  @Option(names = {"-c", "--config"}, required = true, description = "gravwell.conf-style webserver config")
  Path config;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new ReferenceWebserverMain());
    cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
      // Config and TLS errors name the file, line or key at fault; a stack trace would only bury that.
      boolean usage = ex instanceof ConfigException || ex instanceof TlsException;
      cmd.getErr().println("webserver: " + (usage ? ex.getMessage() : ex.toString()));
      return usage ? EXIT_USAGE : EXIT_FAILED;
    });
    return cl;
  }

  @Override
  public Integer call() throws Exception {
    WebserverConfig cfg = WebserverConfig.load(config, System.getenv());
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    ctx.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.toLevel(cfg.logLevel().name(), Level.INFO));
    ReferenceWebserver server = new ReferenceWebserver(cfg, Clock.systemUTC()).start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.stop();
      stopped.countDown();
    }, "shutdown"));
    stopped.await();
    return EXIT_OK;
  }
}
