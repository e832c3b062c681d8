package io.gravwell.datastore.node.raft;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.ratis.server.DivisionInfo;

/**
 * What the leader's Ratis division knows of one follower: its match and next index, and the ms since it last
 * answered. Read in one place because Ratis gives them as separate lists that only line up by position.
 */
record FollowerProgress(String id, long matchIndex, long nextIndex, long lastResponseMs) {

  /**
   * Ratis lists follower ids (with the time since each last answered) and their indexes in the same appender
   * order; a configuration change between the reads shows as a length mismatch, and then progress is
   * unknown for this look (empty).
   */
  static Optional<List<FollowerProgress>> of(DivisionInfo info) {
    var followers = info.getRoleInfoProto().getLeaderInfo().getFollowerInfoList();
    long[] match = info.getFollowerMatchIndices();
    long[] next = info.getFollowerNextIndices();
    if (match == null || next == null || match.length != followers.size() || next.length != followers.size()) {
      return Optional.empty();
    }
    List<FollowerProgress> out = new ArrayList<>(followers.size());
    for (int i = 0; i < followers.size(); i++) {
      var f = followers.get(i);
      out.add(new FollowerProgress(f.getId().getId().toStringUtf8(), match[i], next[i], f.getLastRpcElapsedTimeMs()));
    }
    return Optional.of(out);
  }
}
