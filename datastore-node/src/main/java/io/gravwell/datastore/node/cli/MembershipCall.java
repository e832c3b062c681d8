package io.gravwell.datastore.node.cli;

import io.gravwell.datastore.node.config.PeerSpec;
import io.gravwell.datastore.protocol.client.DatastoreConnection;
import io.gravwell.datastore.protocol.client.DatastoreException;
import io.gravwell.datastore.protocol.v1.ErrorCode;
import io.gravwell.datastore.protocol.v1.Member;
import io.gravwell.datastore.protocol.v1.MembershipChange;
import io.gravwell.datastore.protocol.v1.MembershipResult;
import io.gravwell.datastore.protocol.v1.Request;
import io.gravwell.datastore.protocol.v1.StatusResult;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Option;

/**
 * Sends one membership change to the leader (found through the node the command was pointed at, and
 * again if leadership moves meanwhile) and shows progress while it runs.
 */
final class MembershipCall {
  /** Options every membership command shares. */
  static final class Options {
    @Option(names = "--force", description = "skip the quorum-safety check and the new node's pre-checks")
    boolean force;

    @Option(names = "--wait", defaultValue = "10m",
        description = "how long Raft may take, e.g. for a new node to catch up (default: ${DEFAULT-VALUE})")
    String wait;

    Duration waitDuration() {
      return ClientOptions.parseDuration("--wait", wait);
    }
  }

  private static final int ATTEMPTS = 5;

  private final ClientOptions client;
  private final Options options;
  private final PrintWriter out;
  private final PrintWriter err;

  MembershipCall(ClientOptions client, Options options, PrintWriter out, PrintWriter err) {
    this.client = client;
    this.options = options;
    this.out = out;
    this.err = err;
  }

  static PeerSpec parseMember(String text) {
    try {
      return PeerSpec.parse(text);
    } catch (IllegalArgumentException e) {
      throw new CliException(DatastoreCommand.EXIT_USAGE, "member '" + text + "': " + e.getMessage()
          + " (the same form as a Datastore-Peer line)");
    }
  }

  static Member member(PeerSpec spec) {
    return Member.newBuilder().setId(spec.id()).setRaftAddress(spec.raft().toString())
        .setClientAddress(spec.client().toString()).build();
  }

  /**
   * Before an add: the new node must be running in join mode, so that Ratis can hand it the log. Asking
   * it first turns a typo or a forgotten `--join` into a clear message instead of a stalled change.
   */
  void requireJoining(PeerSpec spec) {
    if (options.force) {
      return;
    }
    StatusResult s;
    try {
      s = joiningStatus(spec);
    } catch (CliException e) {
      throw new CliException(DatastoreCommand.EXIT_FAILED, "cannot reach the new node " + spec.id() + " at "
          + spec.client() + " (" + e.getMessage() + "): start it first with `datastore serve --join -c FILE`"
          + " on an empty data directory");
    }
    checkJoining(spec, s);
  }

  /**
   * As {@link #requireJoining} but waits (up to --wait) for the node to come up: used after the old copy
   * of a member left the configuration, when the operator starts the empty node.
   */
  void awaitJoining(PeerSpec spec) {
    long deadline = System.nanoTime() + options.waitDuration().toNanos();
    boolean told = false;
    boolean toldClosed = false;
    while (true) {
      try {
        checkJoining(spec, joiningStatus(spec));
        return;
      } catch (CliException unreachable) {
        if (System.nanoTime() > deadline || unreachable.exitCode() != DatastoreCommand.EXIT_FAILED) {
          throw unreachable;
        }
        if (!toldClosed && unreachable.getMessage().contains(io.gravwell.datastore.node.raft.RaftGateway.DIVISION_CLOSED)) {
          // Started before its old copy left the configuration, the empty node was reached by the leader
          // as that member, took the old membership, and closed its group when the removal committed.
          err.println(spec.id() + " at " + spec.client() + " answers, but its Raft group closed: it was started"
              + " before its old copy was removed and took part in the old membership. Stop it, empty its data"
              + " directory, and start it again with `datastore serve --join -c FILE`; still waiting");
          err.flush();
          toldClosed = true;
          told = true;
        }
        if (!told) {
          err.println("waiting for " + spec.id() + " to answer at " + spec.client() + ": start it now with"
              + " `datastore serve --join -c FILE` on an empty data directory");
          err.flush();
          told = true;
        }
        pause();
      }
    }
  }

  private StatusResult joiningStatus(PeerSpec spec) {
    try (DatastoreConnection conn = client.connectTo(spec.client().toString())) {
      return ClusterView.status(conn);
    } catch (CliException e) {
      throw e;
    } catch (RuntimeException e) {
      throw ClientOptions.failure("asking the new node " + spec.id() + " at " + spec.client(), e);
    }
  }

  private void checkJoining(PeerSpec spec, StatusResult s) {
    if (!s.getNodeId().equals(spec.id())) {
      throw new CliException(DatastoreCommand.EXIT_USAGE, "the node at " + spec.client() + " is " + s.getNodeId()
          + ", not " + spec.id() + ": check the address");
    }
    if (s.getInConfiguration()) {
      throw new CliException(DatastoreCommand.EXIT_USAGE, spec.id() + " at " + spec.client() + " already runs in a"
          + " Raft configuration; a new or replacement node must start on an empty data directory with"
          + " `datastore serve --join -c FILE`");
    }
  }

  /** Runs the change; {@code catchingUp} is the client address of a node to show catch-up progress for. */
  MembershipResult run(MembershipChange.Builder change, Optional<String> catchingUp) {
    Duration wait = options.waitDuration();
    change.setForce(options.force).setTimeoutMs((int) Math.min(Integer.MAX_VALUE, wait.toMillis()));
    String lastProblem = "";
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      String leaderAddress = leaderAddress();
      if (leaderAddress == null) {
        lastProblem = "no leader is known";
        err.println("no leader is known yet; retrying");
        err.flush();
        pause();
        continue;
      }
      try (DatastoreConnection leader = client.connectTo(leaderAddress, wait.plusSeconds(30))) {
        CompletableFuture<MembershipResult> result = leader.call(Request.newBuilder().setMembership(change))
            .thenApply(r -> r.getMembership());
        return await(result, leader, catchingUp);
      } catch (DatastoreException e) {
        if (e.code() != ErrorCode.NOT_LEADER) {
          throw ClientOptions.failure(describe(change), e);
        }
        lastProblem = e.detail();
        err.println("leadership moved (" + e.detail() + "); retrying");
        err.flush();
      }
    }
    throw new CliException(DatastoreCommand.EXIT_FAILED, describe(change) + " failed: could not reach the leader"
        + " after " + ATTEMPTS + " attempts (" + lastProblem + "); check `datastore status`");
  }

  boolean isMember(String id) {
    try (DatastoreConnection conn = client.connect()) {
      return ClusterView.status(conn).getMembersList().stream().anyMatch(m -> m.getId().equals(id));
    } catch (CliException e) {
      throw e;
    } catch (RuntimeException e) {
      throw ClientOptions.failure("reading the members", e);
    }
  }

  private String leaderAddress() {
    try (DatastoreConnection conn = client.connect()) {
      StatusResult s = ClusterView.status(conn);
      if (s.getLeaderId().isEmpty()) {
        return null;
      }
      if (s.getLeaderId().equals(s.getNodeId())) {
        return conn.options().host() + ":" + conn.options().port();
      }
      return s.getMembersList().stream().filter(m -> m.getId().equals(s.getLeaderId()))
          .map(Member::getClientAddress).filter(a -> !a.isEmpty()).findFirst().orElse(null);
    } catch (RuntimeException e) {
      throw ClientOptions.failure("finding the leader", e);
    }
  }

  private MembershipResult await(CompletableFuture<MembershipResult> result, DatastoreConnection leader,
      Optional<String> catchingUp) {
    Progress progress = catchingUp.map(address -> new Progress(address, leader)).orElse(null);
    try {
      while (true) {
        try {
          MembershipResult r = result.get(1, TimeUnit.SECONDS);
          if (progress != null) {
            progress.finish();
          }
          return r;
        } catch (TimeoutException stillRunning) {
          if (progress != null) {
            progress.tick();
          } else {
            err.print(".");
            err.flush();
          }
        }
      }
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() instanceof CompletionException c && c.getCause() != null ? c.getCause() : e.getCause();
      if (cause instanceof DatastoreException d) {
        throw d;
      }
      throw new CliException(DatastoreCommand.EXIT_FAILED, "membership change failed: " + cause.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(DatastoreCommand.EXIT_FAILED, "interrupted; check `datastore members` for the outcome");
    } finally {
      if (progress != null) {
        progress.close();
      }
    }
  }

  /** A catch-up bar: the new node's applied index against the leader's commit index. */
  private final class Progress implements AutoCloseable {
    private final String address;
    private final DatastoreConnection leader;
    private DatastoreConnection joining;
    private String lastLine = "";

    Progress(String address, DatastoreConnection leader) {
      this.address = address;
      this.leader = leader;
    }

    void tick() {
      try {
        if (joining == null || !joining.isOpen()) {
          joining = client.connectTo(address);
        }
        long commit = ClusterView.status(leader).getCommitIndex();
        long applied = ClusterView.status(joining).getAppliedIndex();
        show(applied, commit);
      } catch (RuntimeException e) {
        show(-1, -1);
      }
    }

    void finish() {
      err.println("catching up: done");
      err.flush();
    }

    private void show(long applied, long commit) {
      String line;
      if (commit <= 0 || applied < 0) {
        line = "catching up: waiting for the new node to answer";
      } else {
        int percent = (int) Math.min(100, applied * 100 / commit);
        int filled = percent / 5;
        line = "catching up: [" + "#".repeat(filled) + " ".repeat(20 - filled) + "] " + percent + "% (applied "
            + applied + " of " + commit + ")";
      }
      if (!line.equals(lastLine)) {
        err.println(line);
        err.flush();
        lastLine = line;
      }
    }

    @Override
    public void close() {
      if (joining != null) {
        joining.close();
      }
    }
  }

  static void printResult(PrintWriter out, MembershipResult r) {
    out.println(r.getSummary());
    out.printf("leader: %s%n", r.getLeaderId().isEmpty() ? "(none)" : r.getLeaderId());
    MembersCommand.print(out, r.getMembersList());
    out.flush();
  }

  private static String describe(MembershipChange.Builder change) {
    return switch (change.getActionCase()) {
      case ADD -> "add-node " + change.getAdd().getId();
      case REMOVE -> "remove-node " + change.getRemove();
      case REPLACE -> "replace-node " + change.getReplace().getOldId();
      case TRANSFER_LEADER -> "transfer-leader " + change.getTransferLeader();
      case ACTION_NOT_SET -> "membership change";
    };
  }

  private static void pause() {
    try {
      Thread.sleep(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
