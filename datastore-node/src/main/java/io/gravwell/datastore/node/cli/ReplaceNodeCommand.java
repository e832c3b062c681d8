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
      "Same id (a wiped disk, or the same node at a new address): the old copy is removed first; start the"
          + " empty node with --join when asked; it is then added. New id: start it with --join first; one"
          + " configuration change swaps them.",
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
    if (peer.id().equals(oldId)) {
      return sameId(call, peer);
    }
    call.requireJoining(peer);
    MembershipResult r = call.run(MembershipChange.newBuilder().setReplace(Replacement.newBuilder()
        .setOldId(oldId).setMember(MembershipCall.member(peer))), Optional.of(peer.client().toString()));
    MembershipCall.printResult(spec.commandLine().getOut(), r);
    return DatastoreCommand.EXIT_OK;
  }

  /**
   * A wiped disk or a move to a new address under the same id: remove the old copy (if still a member),
   * wait for the node to answer empty in join mode, then add it. Started before the removal, the empty
   * node would be contacted by the leader as the member it was, with a log it no longer has.
   */
  private int sameId(MembershipCall call, PeerSpec peer) {
    java.io.PrintWriter out = spec.commandLine().getOut();
    if (call.isMember(oldId)) {
      MembershipResult removed = call.run(MembershipChange.newBuilder().setRemove(oldId), Optional.empty());
      out.println("step 1 of 2: " + removed.getSummary());
      out.flush();
    } else {
      out.println("step 1 of 2: " + oldId + " is not a member (already removed)");
    }
    call.awaitJoining(peer);
    MembershipResult added = call.run(MembershipChange.newBuilder().setAdd(MembershipCall.member(peer)),
        Optional.of(peer.client().toString()));
    out.println("step 2 of 2: " + added.getSummary());
    out.println("replaced " + oldId + " with " + peer.id() + " (raft " + peer.raft() + ", client " + peer.client() + ")");
    MembershipCall.printResult(out, added);
    return DatastoreCommand.EXIT_OK;
  }
}
