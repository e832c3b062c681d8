package io.gravwell.datastore.node.cli;

import io.gravwell.datastore.protocol.v1.Identity;
import io.gravwell.datastore.protocol.v1.Member;
import io.gravwell.datastore.protocol.v1.Request;
import io.gravwell.datastore.protocol.v1.Response;
import io.gravwell.datastore.protocol.v1.Status;
import io.gravwell.datastore.protocol.v1.StatusResult;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Print a node's role, term, leader, members, revision, cluster id and incarnation.")
final class StatusCommand implements Callable<Integer> {
  @Mixin
  ClientOptions client;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    return client.run("status", conn -> {
      Response r = conn.call(Request.newBuilder().setStatus(Status.getDefaultInstance())).join();
      print(spec.commandLine().getOut(), r.getStatus(), r.getIdentity());
      return DatastoreCommand.EXIT_OK;
    });
  }

  static void print(PrintWriter out, StatusResult s, Identity id) {
    out.printf("node:          %s%n", s.getNodeId());
    out.printf("role:          %s%n", s.getRole());
    out.printf("term:          %d%n", s.getTerm());
    out.printf("leader:        %s%n", s.getLeaderId().isEmpty() ? "(none)" : s.getLeaderId());
    out.printf("cluster id:    %s%n", id.getClusterId().isEmpty() ? "(not yet committed)" : id.getClusterId());
    out.printf("incarnation:   %d%n", id.getIncarnation());
    out.printf("revision:      %d%n", id.getRevision());
    out.printf("compacted at:  %d%n", id.getCompactRevision());
    out.printf("commit index:  %d%n", s.getCommitIndex());
    out.printf("applied index: %d%n", s.getAppliedIndex());
    out.printf("snapshot at:   %d%n", s.getLastSnapshotIndex());
    out.printf("objects:       %d (+%d tombstones)%n", s.getObjectCount(), s.getTombstoneCount());
    out.printf("members:%n");
    for (Member m : s.getMembersList()) {
      out.printf("  %-10s %-9s raft=%s client=%s%n", m.getId(), m.getRole(), m.getRaftAddress(), m.getClientAddress());
    }
    out.flush();
  }
}
