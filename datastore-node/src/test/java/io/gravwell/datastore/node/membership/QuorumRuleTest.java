package io.gravwell.datastore.node.membership;

import static org.assertj.core.api.Assertions.assertThat;

import io.gravwell.datastore.node.raft.RaftStatus;
import io.gravwell.datastore.node.raft.RaftStatus.MemberInfo;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

class QuorumRuleTest {
  private static MemberInfo member(String id, long match, long silentMs) {
    return new MemberInfo(id, "h:" + id, "c:" + id, "FOLLOWER", OptionalLong.of(match), OptionalLong.of(silentMs));
  }

  private static RaftStatus view(MemberInfo... followers) {
    List<MemberInfo> all = new java.util.ArrayList<>(List.of(member("n1", 5000, 0)));
    all.addAll(List.of(followers));
    return new RaftStatus("n1", "LEADER", 3, "n1", 5000, 5000, 5000, true, all);
  }

  @Test
  void removingAHealthyFollowerOfAHealthyClusterIsAllowed() {
    RaftStatus v = view(member("n2", 5000, 10), member("n3", 4990, 20));
    assertThat(QuorumRule.check(v, Set.of("n1", "n2"), Set.of())).isEmpty();
  }

  @Test
  void removingTheLastHealthyFollowerWhileAnotherIsDownIsRefused() {
    RaftStatus v = view(member("n2", 5000, 10), member("n3", 4000, 60_000));
    assertThat(QuorumRule.check(v, Set.of("n1", "n3"), Set.of())).get().asString()
        .contains("1 of 2").contains("n3 last answered 60000 ms ago").contains("--force");
    // Removing the dead one instead leaves two healthy voters.
    assertThat(QuorumRule.check(v, Set.of("n1", "n2"), Set.of())).isEmpty();
  }

  @Test
  void aFollowerFarBehindDoesNotCount() {
    RaftStatus v = view(member("n2", 5000 - QuorumRule.MAX_LAG_ENTRIES - 1, 10), member("n3", 5000, 10));
    assertThat(QuorumRule.check(v, Set.of("n1", "n2"), Set.of())).get().asString().contains("n2 is 1001 entries behind");
  }

  @Test
  void removingTheLeaderIsRefused() {
    RaftStatus v = view(member("n2", 5000, 10), member("n3", 5000, 10));
    assertThat(QuorumRule.check(v, Set.of("n2", "n3"), Set.of())).get().asString()
        .contains("n1 is the leader").contains("transfer-leader");
  }

  @Test
  void aJoiningMemberCountsBecauseRatisWaitsForItsCatchUp() {
    RaftStatus v = view(member("n2", 5000, 10), member("n3", 0, 90_000));
    // 3 -> 4 with one member down: n1, n2 and the new n4 make 3 of 4.
    assertThat(QuorumRule.check(v, Set.of("n1", "n2", "n3", "n4"), Set.of("n4"))).isEmpty();
    // 4 -> 5 with three followers down: n1 and the new n5 are 2 of 5.
    RaftStatus three = view(member("n2", 0, 90_000), member("n3", 0, 90_000), member("n4", 0, 90_000));
    assertThat(QuorumRule.check(three, Set.of("n1", "n2", "n3", "n4", "n5"), Set.of("n5"))).get().asString()
        .contains("2 of 5");
  }
}
