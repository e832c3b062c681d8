package io.gravwell.datastore.node.cli;

import io.gravwell.datastore.protocol.v1.MembershipChange;
import io.gravwell.datastore.protocol.v1.MembershipResult;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "remove-node", mixinStandardHelpOptions = true,
    description = {
      "Remove a member online (it may be up or dead). Afterwards stop it and delete its data directory.",
      "Refused without --force when the remaining voters that are up and caught up would not be a majority,"
          + " or when the member is the leader (move leadership first with transfer-leader)."})
final class RemoveNodeCommand implements Callable<Integer> {
  @Mixin
  ClientOptions client;

  @Mixin
  MembershipCall.Options options;

  @Parameters(index = "0", paramLabel = "ID", description = "the member to remove")
  String id;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    MembershipCall call = new MembershipCall(client, options, spec.commandLine().getOut(), spec.commandLine().getErr());
    MembershipResult r = call.run(MembershipChange.newBuilder().setRemove(id), Optional.empty());
    MembershipCall.printResult(spec.commandLine().getOut(), r);
    return DatastoreCommand.EXIT_OK;
  }
}
