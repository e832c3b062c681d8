package io.gravwell.datastore.node.membership;

import io.gravwell.datastore.node.config.PeerSpec;
import io.gravwell.datastore.node.raft.RaftGateway;
import io.gravwell.datastore.node.raft.RaftStatus;
import io.gravwell.datastore.protocol.client.DatastoreException;
import io.gravwell.datastore.protocol.v1.ErrorCode;
import io.gravwell.datastore.protocol.v1.Member;
import io.gravwell.datastore.protocol.v1.MembershipChange;
import io.gravwell.datastore.protocol.v1.MembershipResult;
import io.gravwell.datastore.statemachine.v1.EntryResult;
import io.gravwell.datastore.statemachine.v1.LogEntry;
import io.gravwell.datastore.statemachine.v1.MemberAddress;
import io.gravwell.datastore.statemachine.v1.UpdateMembers;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.SetConfigurationRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs online membership changes on the leader through Ratis' admin API, one at a time on a thread of its
 * own (a new member's catch-up can take minutes; nothing here runs on Netty or Ratis threads).
 *
 * <p>Order matters: a new member's client address is committed to the replicated member directory before
 * the Raft configuration names it, so every node can report where to reach it as soon as it is a member;
 * a removed member's address is dropped after. Configuration changes use compare-and-set against the
 * configuration the safety check looked at, so two operators cannot interleave changes unnoticed.
 */
public final class Membership implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Membership.class);
  static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

  /** Builds a short-lived Raft client for admin calls over the given peers, with this request timeout. */
  public interface AdminClients {
    RaftClient open(List<RaftPeer> peers, Duration requestTimeout);
  }

  private final RaftGateway raft;
  private final AdminClients adminClients;
  private final Clock clock;
  private final ExecutorService worker =
      Executors.newSingleThreadExecutor(new io.netty.util.concurrent.DefaultThreadFactory("membership", true));

  public Membership(RaftGateway raft, AdminClients adminClients, Clock clock) {
    this.raft = raft;
    this.adminClients = adminClients;
    this.clock = clock;
  }

  public CompletableFuture<MembershipResult> change(MembershipChange change) {
    return CompletableFuture.supplyAsync(() -> run(change), worker);
  }

  private MembershipResult run(MembershipChange change) {
    Duration timeout = change.getTimeoutMs() > 0 ? Duration.ofMillis(change.getTimeoutMs()) : DEFAULT_TIMEOUT;
    RaftStatus view = leaderView();
    if (raft.configurationChanging()) {
      throw failed("another membership change is still in progress; wait for it (datastore members) and retry");
    }
    String summary = switch (change.getActionCase()) {
      case ADD -> add(view, change.getAdd(), change.getForce(), timeout);
      case REMOVE -> remove(view, change.getRemove(), change.getForce(), timeout);
      case REPLACE -> replace(view, change.getReplace().getOldId(), change.getReplace().getMember(),
          change.getForce(), timeout);
      case TRANSFER_LEADER -> transfer(view, change.getTransferLeader(), timeout);
      case ACTION_NOT_SET -> throw bad("the membership change names no action");
    };
    LOG.info("membership: {}", summary);
    MembershipResult.Builder result = MembershipResult.newBuilder().setSummary(summary);
    try {
      RaftStatus after = raft.status();
      result.setLeaderId(after.leaderId());
      after.members().forEach(m -> result.addMembers(Member.newBuilder().setId(m.id())
          .setRaftAddress(m.raftAddress()).setClientAddress(m.clientAddress()).setRole(m.role())));
    } catch (DatastoreException removedItself) {
      // A leader that removed itself (--force) has no division left to describe the new configuration.
      result.setSummary(summary + "; this node left the cluster: stop it and delete its data directory");
    }
    return result.build();
  }

  private RaftStatus leaderView() {
    RaftStatus view = raft.status();
    if (!raft.isLeader()) {
      String hint = view.leaderId().isEmpty() ? "no leader is known right now; retry shortly"
          : "the leader is " + view.leaderId() + " at " + raft.clientAddress(view.leaderId());
      throw new DatastoreException(ErrorCode.NOT_LEADER,
          "membership changes run on the leader and " + view.nodeId() + " is not it: " + hint);
    }
    return view;
  }

  private String add(RaftStatus view, Member member, boolean force, Duration timeout) {
    RaftPeer peer = validate(member);
    if (view.member(member.getId()).isPresent()) {
      throw bad(member.getId() + " is already a member; to move it use replace-node");
    }
    requireFreeAddress(view, member, null);
    Set<String> after = ids(view);
    after.add(member.getId());
    guard(view, after, Set.of(member.getId()), force);
    publish(member, timeout);
    List<RaftPeer> current = raft.currentPeers();
    List<RaftPeer> next = new ArrayList<>(current);
    next.add(peer);
    setConfiguration(current, next, timeout);
    return "added " + member.getId() + " (raft " + member.getRaftAddress() + ", client " + member.getClientAddress() + ")";
  }

  private String remove(RaftStatus view, String id, boolean force, Duration timeout) {
    requireMember(view, id);
    Set<String> after = ids(view);
    after.remove(id);
    guard(view, after, Set.of(), force);
    List<RaftPeer> current = raft.currentPeers();
    setConfiguration(current, without(current, id), timeout);
    unpublish(id, timeout);
    return "removed " + id;
  }

  /**
   * Swaps a member for one with another id in one configuration change (joint consensus keeps the
   * majority of both). The same id is refused: the old copy must leave the configuration before the new
   * one starts, or the leader keeps sending to it as a member whose log it no longer has (the
   * replace-node command removes, waits for the node in join mode, then adds).
   */
  private String replace(RaftStatus view, String oldId, Member member, boolean force, Duration timeout) {
    requireMember(view, oldId);
    RaftPeer peer = validate(member);
    if (oldId.equals(member.getId())) {
      throw bad("a member replaced by one with the same id must first be removed (remove-node " + oldId
          + "), then started empty with `serve --join` and added (add-node); replace-node does these steps");
    }
    if (view.member(member.getId()).isPresent()) {
      throw bad(member.getId() + " is already a member; pick a new id or replace " + member.getId() + " itself");
    }
    requireFreeAddress(view, member, oldId);
    Set<String> after = ids(view);
    after.remove(oldId);
    after.add(member.getId());
    guard(view, after, Set.of(member.getId()), force);
    List<RaftPeer> current = raft.currentPeers();
    publish(member, timeout);
    List<RaftPeer> next = without(current, oldId);
    next.add(peer);
    setConfiguration(current, next, timeout);
    unpublish(oldId, timeout);
    return "replaced " + oldId + " with " + member.getId() + " (raft " + member.getRaftAddress() + ", client "
        + member.getClientAddress() + ")";
  }

  private String transfer(RaftStatus view, String id, Duration timeout) {
    requireMember(view, id);
    if (id.equals(view.nodeId())) {
      return id + " already leads";
    }
    try (RaftClient admin = adminClients.open(raft.currentPeers(), timeout)) {
      RaftClientReply reply = admin.admin().transferLeadership(RaftPeerId.valueOf(id), timeout.toMillis());
      if (!reply.isSuccess()) {
        throw failed("leadership did not move to " + id + ": " + reply.getException()
            + "; check that " + id + " is up and caught up (datastore status) and retry");
      }
    } catch (IOException e) {
      throw failed("leadership did not move to " + id + ": " + e.getMessage()
          + "; check that " + id + " is up and caught up (datastore status) and retry");
    }
    return "leadership moved from " + view.nodeId() + " to " + id;
  }

  private void guard(RaftStatus view, Set<String> votersAfter, Set<String> joining, boolean force) {
    QuorumRule.check(view, votersAfter, joining).ifPresent(reason -> {
      if (!force) {
        throw new DatastoreException(ErrorCode.QUORUM_AT_RISK, "refused: " + reason);
      }
      LOG.warn("membership change forced although {}", reason);
    });
  }

  private void setConfiguration(List<RaftPeer> current, List<RaftPeer> next, Duration timeout) {
    SetConfigurationRequest.Arguments args = SetConfigurationRequest.Arguments.newBuilder()
        .setServersInCurrentConf(current)
        .setServersInNewConf(next)
        .setMode(SetConfigurationRequest.Mode.COMPARE_AND_SET)
        .build();
    try (RaftClient admin = adminClients.open(current, timeout)) {
      RaftClientReply reply = admin.admin().setConfiguration(args);
      if (!reply.isSuccess()) {
        throw failed("Raft refused the new configuration " + names(next) + ": " + reply.getException()
            + "; see datastore members for the configuration now");
      }
    } catch (IOException e) {
      throw failed("Raft did not complete the configuration " + names(next) + " within " + timeout.toSeconds()
          + " s: " + e.getMessage() + "; a new member must be running with `datastore serve --join`;"
          + " see datastore members for the configuration now, then retry");
    }
  }

  private void publish(Member member, Duration timeout) {
    commit(UpdateMembers.newBuilder().addPut(MemberAddress.newBuilder()
        .setId(member.getId()).setClientAddress(member.getClientAddress())).build(), timeout);
  }

  /** Best effort: a stale directory entry of a non-member is never shown (status lists members only). */
  private void unpublish(String id, Duration timeout) {
    try {
      commit(UpdateMembers.newBuilder().addRemove(id).build(), timeout);
    } catch (DatastoreException e) {
      LOG.warn("could not drop {} from the member directory: {}", id, e.getMessage());
    }
  }

  private void commit(UpdateMembers update, Duration timeout) {
    CompletableFuture<EntryResult> written =
        raft.write(LogEntry.newBuilder().setTimestampMs(clock.millis()).setUpdateMembers(update).build());
    try {
      EntryResult r = written.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (r.hasError()) {
        throw failed("the member directory update failed: " + r.getError().getMessage());
      }
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw cause instanceof DatastoreException d ? d : failed("the member directory update failed: " + cause);
    } catch (TimeoutException e) {
      throw failed("the member directory update was not committed within " + timeout.toSeconds() + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failed("interrupted");
    }
  }

  private static RaftPeer validate(Member member) {
    try {
      PeerSpec spec = PeerSpec.parse(member.getId() + "," + member.getRaftAddress() + "," + member.getClientAddress());
      return RaftPeer.newBuilder().setId(spec.id()).setAddress(spec.raft().toString()).build();
    } catch (IllegalArgumentException e) {
      throw bad("member " + member.getId() + "," + member.getRaftAddress() + "," + member.getClientAddress()
          + ": " + e.getMessage());
    }
  }

  private static void requireMember(RaftStatus view, String id) {
    if (view.member(id).isEmpty()) {
      throw bad(id + " is not a member; members are " + ids(view));
    }
  }

  private static void requireFreeAddress(RaftStatus view, Member member, String replacing) {
    for (RaftStatus.MemberInfo m : view.members()) {
      if (!m.id().equals(replacing) && m.raftAddress().equals(member.getRaftAddress())) {
        throw bad("raft address " + member.getRaftAddress() + " already belongs to " + m.id());
      }
    }
  }

  private static Set<String> ids(RaftStatus view) {
    Set<String> ids = new LinkedHashSet<>();
    view.members().forEach(m -> ids.add(m.id()));
    return ids;
  }

  private static List<RaftPeer> without(List<RaftPeer> peers, String id) {
    List<RaftPeer> rest = new ArrayList<>(peers);
    rest.removeIf(p -> p.getId().toString().equals(id));
    return rest;
  }

  private static List<String> names(List<RaftPeer> peers) {
    return peers.stream().map(p -> p.getId().toString()).toList();
  }

  private static DatastoreException bad(String message) {
    return new DatastoreException(ErrorCode.BAD_REQUEST, message);
  }

  private static DatastoreException failed(String message) {
    return new DatastoreException(ErrorCode.MEMBERSHIP_FAILED, message);
  }

  @Override
  public void close() {
    worker.shutdownNow();
  }
}
