package io.gravwell.datastore.node.cli;

import io.gravwell.datastore.node.config.PeerSpec;
import io.gravwell.datastore.protocol.v1.MembershipChange;
import io.gravwell.datastore.protocol.v1.MembershipResult;
import io.gravwell.datastore.protocol.v1.Replacement;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "replace-node", mixinStandardHelpOptions = true,
    description = {
      "Replace a (dead) member with a node started by `datastore serve --join -c FILE` on an empty data directory.",
      "Same id (a wiped disk, or the same node at a new address): the old copy is removed, then the new one"
          + " added, so the leader forgets what the old disk held. New id: one configuration change swaps them.",
      "Refused without --force when the voters of the new configuration that are up and caught up would not be"
          + " a majority, or when the member replaced is the leader (move leadership first)."})
final class ReplaceNodeCommand implements Callable<Integer> {
  @Mixin
  ClientOptions client;

  @Mixin
  MembershipCall.Options options;

  @Parameters(index = "0", paramLabel = "OLD_ID", description = "the member to replace")
  String oldId;

  @Option(names = "--with", required = true, paramLabel = "ID,RAFT_HOST:PORT,CLIENT_HOST:PORT",
      description = "the replacement, written like a Datastore-Peer line (the id may be the old one)")
  String member;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    PeerSpec peer = MembershipCall.parseMember(member);
    MembershipCall call = new MembershipCall(client, options, spec.commandLine().getOut(), spec.commandLine().getErr());
    call.requireJoining(peer);
    MembershipResult r = call.run(MembershipChange.newBuilder().setReplace(Replacement.newBuilder()
        .setOldId(oldId).setMember(MembershipCall.member(peer))), Optional.of(peer.client().toString()));
    MembershipCall.printResult(spec.commandLine().getOut(), r);
    return DatastoreCommand.EXIT_OK;
  }
}
