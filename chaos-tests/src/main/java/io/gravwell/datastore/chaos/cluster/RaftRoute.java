package io.gravwell.datastore.chaos.cluster;

/** The Raft address the other nodes dial for a node: its own, or a proxy in front of it. */
@FunctionalInterface
public interface RaftRoute {
  String raftAddress(String nodeId, String nodeAddress, io.gravwell.datastore.chaos.docker.ChaosNetwork network);

  RaftRoute DIRECT = (id, address, network) -> address + ":" + NodeContainer.RAFT_PORT;
}
