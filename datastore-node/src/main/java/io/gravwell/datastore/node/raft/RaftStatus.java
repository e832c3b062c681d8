package io.gravwell.datastore.node.raft;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** A point-in-time view of this node's Raft division, for status answers and Hello. */
public record RaftStatus(
    String nodeId,
    String role,
    long term,
    String leaderId,
    long commitIndex,
    long appliedIndex,
    long lastLogIndex,
    boolean inConfiguration,
    List<MemberInfo> members) {

  public RaftStatus {
    members = List.copyOf(members);
  }

  public Optional<MemberInfo> member(String id) {
    return members.stream().filter(m -> m.id().equals(id)).findFirst();
  }

  /**
   * One configured member: its Raft address and the client address webservers should dial. The match
   * index and the time since it last answered are known only when this node leads.
   */
  public record MemberInfo(String id, String raftAddress, String clientAddress, String role,
      OptionalLong matchIndex, OptionalLong lastResponseMs) {

    public MemberInfo(String id, String raftAddress, String clientAddress, String role) {
      this(id, raftAddress, clientAddress, role, OptionalLong.empty(), OptionalLong.empty());
    }
  }
}
