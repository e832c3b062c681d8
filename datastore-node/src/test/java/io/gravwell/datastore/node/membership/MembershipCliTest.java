package io.gravwell.datastore.node.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gravwell.datastore.node.cli.DatastoreCommand;
import io.gravwell.datastore.node.cluster.Cli;
import io.gravwell.datastore.node.cluster.LocalCluster;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line against a real 3-node cluster: cluster-wide status and members (table and JSON),
 * transfer-leader, the quorum-safety refusals, and --force. Runbook: docs/operations.md.
 */
class MembershipCliTest {
  @TempDir
  static Path dir;
  static LocalCluster cluster;

  @BeforeAll
  static void start() {
    cluster = LocalCluster.builder(dir).size(3).start();
    cluster.awaitLeader();
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static String config(int i) {
    return cluster.writeConfig(i).toString();
  }

  @Test
  void statusShowsEveryMemberWithLagAndTheIdentity() throws Exception {
    int leader = cluster.awaitLeader();
    String clusterId = cluster.node(leader).stateMachine().currentIdentity().getClusterId();
    int other = (leader + 1) % 3;

    Cli.Result table = Cli.run("status", "-c", config(other));
    assertThat(table.exitCode()).as(table.toString()).isEqualTo(DatastoreCommand.EXIT_OK);
    assertThat(table.out()).contains("cluster id:  " + clusterId).contains("incarnation: 1")
        .contains("leader:      " + cluster.nodeId(leader));
    for (int i = 0; i < 3; i++) {
      assertThat(table.out()).containsPattern("(?m)^" + cluster.nodeId(i) + " +(LEADER|FOLLOWER) ");
      assertThat(table.out()).contains(cluster.clientAddress(i));
    }

    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      Cli.Result json = Cli.run("status", "--json", "-c", config(other));
      JsonNode root = new ObjectMapper().readTree(json.out());
      assertThat(root.get("cluster_id").asText()).isEqualTo(clusterId);
      assertThat(root.get("incarnation").asLong()).isEqualTo(1);
      assertThat(root.get("leader").asText()).isEqualTo(cluster.nodeId(leader));
      assertThat(root.get("healthy").asBoolean()).isTrue();
      assertThat(root.get("members")).hasSize(3);
      for (JsonNode m : root.get("members")) {
        assertThat(m.get("reachable").asBoolean()).isTrue();
        assertThat(m.get("match_index").isNumber()).as(m.toString()).isTrue();
        assertThat(m.get("lag").asLong()).isLessThanOrEqualTo(QuorumRule.MAX_LAG_ENTRIES);
        assertThat(m.get("applied_index").asLong()).isPositive();
      }
    });

    Cli.Result node = Cli.run("status", "--node", "-c", config(other));
    assertThat(node.exitCode()).isZero();
    assertThat(node.out()).contains("node:          " + cluster.nodeId(other)).contains("member:        yes");

    Cli.Result members = Cli.run("members", "--json", "-c", config(other));
    JsonNode list = new ObjectMapper().readTree(members.out());
    assertThat(list).hasSize(3);
    assertThat(list.get(0).get("client_address").asText()).isEqualTo(cluster.clientAddress(0));
  }

  @Test
  void statusExitsOneAndNamesTheDeadMember() throws Exception {
    int leader = cluster.awaitLeader();
    int victim = (leader + 2) % 3;
    cluster.stop(victim);
    try {
      Cli.Result r = Cli.run("status", "-c", config(leader));
      assertThat(r.exitCode()).as(r.toString()).isEqualTo(DatastoreCommand.EXIT_FAILED);
      assertThat(r.out()).containsPattern("(?m)^" + cluster.nodeId(victim) + " .*unreachable at " + cluster.clientAddress(victim))
          .contains("NOT HEALTHY");
    } finally {
      cluster.start(victim);
      cluster.awaitLeader();
    }
  }

  @Test
  void transferLeaderMovesLeadership() {
    int leader = cluster.awaitLeader();
    int target = (leader + 1) % 3;
    Cli.Result r = Cli.run("transfer-leader", "--to", cluster.nodeId(target), "-c", config((leader + 2) % 3));
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out()).contains("leadership moved from " + cluster.nodeId(leader) + " to " + cluster.nodeId(target));
    assertThat(cluster.awaitLeader()).isEqualTo(target);
  }

  @Test
  void refusesChangesThatCouldLoseTheQuorum() {
    int leader = ForceTest.stableLeader(cluster);
    int follower = (leader + 1) % 3;
    int dead = (leader + 2) % 3;

    Cli.Result removeLeader = Cli.run("remove-node", cluster.nodeId(leader), "-c", config(follower));
    assertThat(removeLeader.exitCode()).as(removeLeader.toString()).isEqualTo(DatastoreCommand.EXIT_FAILED);
    assertThat(removeLeader.err()).contains("QUORUM_AT_RISK").contains("is the leader").contains("transfer-leader");

    cluster.stop(dead);
    try {
      // Until the leader has missed the dead node for a while it still counts it (it may be a blip).
      await().atMost(Duration.ofSeconds(20)).until(() -> cluster.node(leader).raft().status()
          .member(cluster.nodeId(dead)).orElseThrow().lastResponseMs().orElse(0) > QuorumRule.MAX_SILENCE_MS);
      Cli.Result r = Cli.run("remove-node", cluster.nodeId(follower), "-c", config(leader));
      assertThat(r.exitCode()).as(r.toString()).isEqualTo(DatastoreCommand.EXIT_FAILED);
      assertThat(r.err()).contains("QUORUM_AT_RISK").contains(cluster.nodeId(dead)).contains("--force");
      assertThat(cluster.node(leader).raft().status().members()).hasSize(3);

      Cli.Result unknown = Cli.run("remove-node", "n9", "-c", config(leader));
      assertThat(unknown.exitCode()).as(unknown.toString()).isEqualTo(DatastoreCommand.EXIT_USAGE);
      assertThat(unknown.err()).contains("n9 is not a member");

      Cli.Result badSpec = Cli.run("add-node", "n9,nohost", "-c", config(leader));
      assertThat(badSpec.exitCode()).isEqualTo(DatastoreCommand.EXIT_USAGE);
      assertThat(badSpec.err()).contains("ID,RAFT_HOST:PORT,CLIENT_HOST:PORT");

      Cli.Result notJoining = Cli.run("add-node", "n9,127.0.0.1:1," + cluster.clientAddress(follower), "-c", config(leader));
      assertThat(notJoining.exitCode()).isEqualTo(DatastoreCommand.EXIT_USAGE);
      assertThat(notJoining.err()).contains("is " + cluster.nodeId(follower) + ", not n9");
    } finally {
      cluster.start(dead);
      cluster.awaitLeader();
    }
  }
}
