package io.gravwell.datastore.node.cli;

import io.gravwell.datastore.protocol.client.DatastoreConnection;
import io.gravwell.datastore.protocol.v1.Identity;
import io.gravwell.datastore.protocol.v1.Member;
import io.gravwell.datastore.protocol.v1.Request;
import io.gravwell.datastore.protocol.v1.Response;
import io.gravwell.datastore.protocol.v1.Status;
import io.gravwell.datastore.protocol.v1.StatusResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The whole cluster as the command line sees it: the members named by the node it was pointed at, each
 * member's own status (asked at its client address), and the leader's view of each member's match index.
 */
record ClusterView(Identity identity, String leaderId, long term, long leaderCommit, List<MemberView> members) {

  /** One member; {@code status} is empty when it could not be asked, and {@code error} says why. */
  record MemberView(Member member, Optional<StatusResult> status, String error, Optional<Long> matchIndex) {
    Optional<Long> lag(long leaderCommit) {
      return matchIndex.map(m -> Math.max(0, leaderCommit - m));
    }

    String role() {
      return status.map(StatusResult::getRole).orElse(member.getRole());
    }
  }

  static StatusResult status(DatastoreConnection conn) {
    return conn.call(Request.newBuilder().setStatus(Status.getDefaultInstance())).join().getStatus();
  }

  static ClusterView gather(ClientOptions client, DatastoreConnection first) {
    Response r = first.call(Request.newBuilder().setStatus(Status.getDefaultInstance())).join();
    StatusResult asked = r.getStatus();
    Identity identity = r.getIdentity();
    Map<String, StatusResult> answers = new LinkedHashMap<>();
    Map<String, String> errors = new LinkedHashMap<>();
    answers.put(asked.getNodeId(), asked);
    for (Member m : asked.getMembersList()) {
      if (answers.containsKey(m.getId())) {
        continue;
      }
      if (m.getClientAddress().isEmpty()) {
        errors.put(m.getId(), "client address unknown");
        continue;
      }
      try (DatastoreConnection conn = client.connectTo(m.getClientAddress())) {
        answers.put(m.getId(), status(conn));
      } catch (RuntimeException e) {
        errors.put(m.getId(), "unreachable at " + m.getClientAddress() + ": " + ClientOptions.failure("", e).getMessage().replaceFirst("^: ", ""));
      }
    }
    StatusResult leader = answers.get(asked.getLeaderId());
    Map<String, Long> match = new LinkedHashMap<>();
    if (leader != null) {
      leader.getMembersList().stream().filter(Member::hasMatchIndex).forEach(m -> match.put(m.getId(), m.getMatchIndex()));
    }
    List<MemberView> members = new ArrayList<>();
    for (Member m : asked.getMembersList()) {
      members.add(new MemberView(m, Optional.ofNullable(answers.get(m.getId())), errors.getOrDefault(m.getId(), ""),
          Optional.ofNullable(match.get(m.getId()))));
    }
    long term = leader != null ? leader.getTerm() : asked.getTerm();
    long commit = leader != null ? leader.getCommitIndex() : asked.getCommitIndex();
    return new ClusterView(identity, asked.getLeaderId(), term, commit, members);
  }

  /** Healthy for scripts: a leader is known and every member answered. */
  boolean healthy() {
    return !leaderId.isEmpty() && members.stream().allMatch(m -> m.status().isPresent());
  }

  Map<String, Object> toJson() {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("cluster_id", identity.getClusterId());
    root.put("incarnation", identity.getIncarnation());
    root.put("leader", leaderId.isEmpty() ? null : leaderId);
    root.put("term", term);
    root.put("commit_index", leaderCommit);
    root.put("healthy", healthy());
    List<Object> list = new ArrayList<>();
    for (MemberView m : members) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("id", m.member().getId());
      o.put("role", m.role());
      o.put("raft_address", m.member().getRaftAddress());
      o.put("client_address", m.member().getClientAddress());
      o.put("reachable", m.status().isPresent());
      o.put("term", m.status().map(StatusResult::getTerm).orElse(null));
      o.put("commit_index", m.status().map(StatusResult::getCommitIndex).orElse(null));
      o.put("applied_index", m.status().map(StatusResult::getAppliedIndex).orElse(null));
      o.put("match_index", m.matchIndex().orElse(null));
      o.put("lag", m.lag(leaderCommit).orElse(null));
      o.put("error", m.error().isEmpty() ? null : m.error());
      list.add(o);
    }
    root.put("members", list);
    return root;
  }
}
