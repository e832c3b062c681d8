package io.gravwell.datastore.node.raft;

import java.util.List;

/** A point-in-time view of this node's Raft division, for status answers and Hello. */
public record RaftStatus(
    String nodeId,
    String role,
    long term,
    String leaderId,
    long commitIndex,
    long appliedIndex,
    List<MemberInfo> members) {

  /** One configured member: its Raft address and the client address webservers should dial. */
  public record MemberInfo(String id, String raftAddress, String clientAddress, String role) {}
}
