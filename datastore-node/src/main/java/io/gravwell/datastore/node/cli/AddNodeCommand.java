package io.gravwell.datastore.node.cli;

import io.gravwell.datastore.node.config.PeerSpec;
import io.gravwell.datastore.protocol.v1.MembershipChange;
import io.gravwell.datastore.protocol.v1.MembershipResult;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "add-node", mixinStandardHelpOptions = true,
    description = {
      "Add a voting member online. Start the new node first with `datastore serve --join -c FILE` on an empty"
          + " data directory; the leader then sends it a snapshot and the log, and the new configuration takes"
          + " effect once it has caught up (progress is shown).",
      "Refused without --force when the new node does not answer in join mode, or when fewer than a majority"
          + " of the new configuration's voters are up and caught up."})
final class AddNodeCommand implements Callable<Integer> {
  @Mixin
  ClientOptions client;

  @Mixin
  MembershipCall.Options options;

  @Parameters(index = "0", paramLabel = "ID,RAFT_HOST:PORT,CLIENT_HOST:PORT",
      description = "the new member, written like a Datastore-Peer line")
  String member;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    PeerSpec peer = MembershipCall.parseMember(member);
    MembershipCall call = new MembershipCall(client, options, spec.commandLine().getOut(), spec.commandLine().getErr());
    call.requireJoining(peer);
    MembershipResult r = call.run(MembershipChange.newBuilder().setAdd(MembershipCall.member(peer)),
        Optional.of(peer.client().toString()));
    MembershipCall.printResult(spec.commandLine().getOut(), r);
    return DatastoreCommand.EXIT_OK;
  }
}
