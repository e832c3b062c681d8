package io.gravwell.datastore.node.cli;

import io.gravwell.datastore.node.DatastoreNode;
import io.gravwell.datastore.node.config.NodeConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Run a datastore node until SIGINT/SIGTERM.")
final class ServeCommand implements Callable<Integer> {
  @Option(names = {"-c", "--config"}, required = true, description = "gravwell.conf-style node config")
  Path config;

  @Option(names = "--join", description = "on first start (empty data directory) wait to be added to an existing"
      + " cluster by `datastore add-node` or `replace-node` instead of forming a new one; ignored once the node"
      + " has Raft storage")
  boolean join;

  @Override
  public Integer call() throws Exception {
    NodeConfig cfg;
    cfg = NodeConfig.load(config, System.getenv());
    LogSetup.apply(cfg);
    DatastoreNode node = DatastoreNode.start(cfg, DatastoreNode.defaults().withJoin(join));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      node.close();
      stopped.countDown();
    }, "shutdown"));
    stopped.await();
    return DatastoreCommand.EXIT_OK;
  }
}
