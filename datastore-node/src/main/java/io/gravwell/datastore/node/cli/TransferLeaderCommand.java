package io.gravwell.datastore.node.cli;

import io.gravwell.datastore.protocol.v1.MembershipChange;
import io.gravwell.datastore.protocol.v1.MembershipResult;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "transfer-leader", mixinStandardHelpOptions = true,
    description = "Move leadership to another member (before removing, replacing or restarting the leader)."
        + " Fails if that member does not catch up within --wait.")
final class TransferLeaderCommand implements Callable<Integer> {
  @Mixin
  ClientOptions client;

  @Mixin
  MembershipCall.Options options;

  @Option(names = "--to", required = true, paramLabel = "ID", description = "the member to lead")
  String to;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    MembershipCall call = new MembershipCall(client, options, spec.commandLine().getOut(), spec.commandLine().getErr());
    MembershipResult r = call.run(MembershipChange.newBuilder().setTransferLeader(to), Optional.empty());
    MembershipCall.printResult(spec.commandLine().getOut(), r);
    return DatastoreCommand.EXIT_OK;
  }
}
