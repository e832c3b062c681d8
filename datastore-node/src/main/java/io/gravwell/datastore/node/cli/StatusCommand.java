package io.gravwell.datastore.node.cli;

import io.gravwell.datastore.protocol.v1.Identity;
import io.gravwell.datastore.protocol.v1.Member;
import io.gravwell.datastore.protocol.v1.Request;
import io.gravwell.datastore.protocol.v1.Response;
import io.gravwell.datastore.protocol.v1.Status;
import io.gravwell.datastore.protocol.v1.StatusResult;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "status", mixinStandardHelpOptions = true,
    description = {
      "Print the whole cluster: cluster id, incarnation, leader and term, and for every member its role, term,"
          + " commit and applied index, the leader's match index for it and its lag (leader commit minus match).",
      "Asks the node given by --config/--endpoint, then every member at its client address.",
      "Exit code 0 when a leader is known and every member answered, 1 otherwise (the table still prints)."})
final class StatusCommand implements Callable<Integer> {
  @Mixin
  ClientOptions client;

  @Option(names = "--node", description = "only the node asked: its own detailed view (revision, snapshot, object counts)")
  boolean node;

  @Option(names = "--json", description = "one JSON object instead of a table, for scripts")
  boolean json;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    return client.run("status", conn -> {
      if (node) {
        Response r = conn.call(Request.newBuilder().setStatus(Status.getDefaultInstance())).join();
        if (json) {
          out.println(Json.write(nodeJson(r.getStatus(), r.getIdentity())));
          out.flush();
        } else {
          print(out, r.getStatus(), r.getIdentity());
        }
        return DatastoreCommand.EXIT_OK;
      }
      ClusterView view = ClusterView.gather(client, conn);
      if (json) {
        out.println(Json.write(view.toJson()));
      } else {
        printCluster(out, view);
      }
      out.flush();
      return view.healthy() ? DatastoreCommand.EXIT_OK : DatastoreCommand.EXIT_FAILED;
    });
  }

  static void printCluster(PrintWriter out, ClusterView v) {
    Identity id = v.identity();
    out.printf("cluster id:  %s%n", id.getClusterId().isEmpty() ? "(not yet committed)" : id.getClusterId());
    out.printf("incarnation: %d%n", id.getIncarnation());
    out.printf("leader:      %s (term %d, commit index %d)%n", v.leaderId().isEmpty() ? "(none)" : v.leaderId(),
        v.term(), v.leaderCommit());
    String format = "%-10s %-9s %5s %8s %8s %8s %6s  %-21s %-21s %s%n";
    out.printf(format, "ID", "ROLE", "TERM", "COMMIT", "APPLIED", "MATCH", "LAG", "RAFT", "CLIENT", "STATE");
    for (ClusterView.MemberView m : v.members()) {
      Optional<StatusResult> s = m.status();
      out.printf(format, m.member().getId(), m.role(),
          s.map(x -> String.valueOf(x.getTerm())).orElse("-"),
          s.map(x -> String.valueOf(x.getCommitIndex())).orElse("-"),
          s.map(x -> String.valueOf(x.getAppliedIndex())).orElse("-"),
          m.matchIndex().map(String::valueOf).orElse("-"),
          m.lag(v.leaderCommit()).map(String::valueOf).orElse("-"),
          m.member().getRaftAddress(), m.member().getClientAddress(),
          s.isPresent() ? "ok" : m.error());
    }
    if (!v.healthy()) {
      out.printf("NOT HEALTHY: %s%n", v.leaderId().isEmpty() ? "no leader is known"
          : "some members did not answer; see STATE");
    }
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
    out.printf("member:        %s%n", s.getInConfiguration() ? "yes" : "no (waiting to be added: serve --join)");
    out.printf("members:%n");
    for (Member m : s.getMembersList()) {
      out.printf("  %-10s %-9s raft=%s client=%s%n", m.getId(), m.getRole(), m.getRaftAddress(), m.getClientAddress());
    }
    out.flush();
  }

  static java.util.Map<String, Object> nodeJson(StatusResult s, Identity id) {
    java.util.Map<String, Object> o = new java.util.LinkedHashMap<>();
    o.put("node_id", s.getNodeId());
    o.put("role", s.getRole());
    o.put("term", s.getTerm());
    o.put("leader", s.getLeaderId().isEmpty() ? null : s.getLeaderId());
    o.put("cluster_id", id.getClusterId());
    o.put("incarnation", id.getIncarnation());
    o.put("revision", id.getRevision());
    o.put("commit_index", s.getCommitIndex());
    o.put("applied_index", s.getAppliedIndex());
    o.put("last_snapshot_index", s.getLastSnapshotIndex());
    o.put("in_configuration", s.getInConfiguration());
    o.put("members", MembersCommand.membersJson(s.getMembersList()));
    return o;
  }
}
