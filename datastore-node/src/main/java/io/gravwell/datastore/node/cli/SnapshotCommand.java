package io.gravwell.datastore.node.cli;

import io.gravwell.datastore.protocol.v1.Request;
import io.gravwell.datastore.protocol.v1.Response;
import io.gravwell.datastore.protocol.v1.TakeSnapshot;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "snapshot", mixinStandardHelpOptions = true, description = "Make the node take a snapshot now.")
final class SnapshotCommand implements Callable<Integer> {
  @Mixin
  ClientOptions client;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    return client.run("snapshot", conn -> {
      Response r = conn.call(Request.newBuilder().setTakeSnapshot(TakeSnapshot.getDefaultInstance())).join();
      spec.commandLine().getOut().printf("snapshot taken at index %d%n", r.getSnapshot().getSnapshotIndex());
      spec.commandLine().getOut().flush();
      return DatastoreCommand.EXIT_OK;
    });
  }
}
