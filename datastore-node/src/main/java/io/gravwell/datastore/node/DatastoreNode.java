package io.gravwell.datastore.node;

import io.gravwell.datastore.node.config.NodeConfig;
import io.gravwell.datastore.node.membership.Membership;
import io.gravwell.datastore.node.metrics.NodeMetrics;
import io.gravwell.datastore.node.net.ClientPort;
import io.gravwell.datastore.node.raft.AppendChainGuard;
import io.gravwell.datastore.node.raft.StuckFollowerGuard;
import io.gravwell.datastore.node.raft.StuckFollowerRule;
import io.gravwell.datastore.node.raft.FollowerCommitGuard;
import io.gravwell.datastore.node.raft.JoiningStart;
import io.gravwell.datastore.node.raft.LeaderDuties;
import io.gravwell.datastore.node.raft.PeerTls;
import io.gravwell.datastore.node.raft.RaftGateway;
import io.gravwell.datastore.node.raft.RaftSettings;
import io.gravwell.datastore.node.service.BackupStreams;
import io.gravwell.datastore.node.service.DatastoreService;
import io.gravwell.datastore.node.service.WatchHub;
import io.gravwell.datastore.protocol.tls.SslContexts;
import io.gravwell.datastore.protocol.v1.ErrorCode;
import io.gravwell.datastore.statemachine.DatastoreStateMachine;
import io.gravwell.datastore.statemachine.StateMachineSettings;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One datastore node: a Raft server over the Xodus state machine, plus the client port. Started from a
 * {@link NodeConfig}; {@link #close()} stops it in the reverse order (clients first, Raft last).
 */
public final class DatastoreNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DatastoreNode.class);
  /**
   * The node's Raft client waits this long before it asks again when no leader is known (an election is
   * running) or the leader is not ready yet; a reply that names the leader is followed at once. Every
   * sleep still running when the new leader is ready adds to the write gap of a failover: 100 ms made the
   * first acknowledged write come up to 300 ms after the new leader was ready.
   */
  static final Duration RAFT_CLIENT_RETRY_SLEEP = Duration.ofMillis(20);
  /** How often a failed step of the follower's log-append chain is looked for (AppendChainGuard). */
  static final Duration APPEND_CHAIN_CHECK = Duration.ofMillis(250);
  /**
   * StuckFollowerGuard: how often the leader looks, how long a follower's match index may stand still while it
   * answers and the leader has entries for it, what "answers" means, and at most one hand-over per interval.
   * 20 s is far above any pause of a healthy follower with entries in the leader's log (snapshots excluded).
   * "Answers" allows 10 s: after dozens of INCONSISTENCY replies Ratis' appender backs off to about one
   * request every 5 s (the CI run's leader had last heard from the stuck follower 4.7 s before).
   */
  static final Duration STUCK_FOLLOWER_CHECK = Duration.ofSeconds(1);
  static final Duration STUCK_FOLLOWER_AFTER = Duration.ofSeconds(20);
  static final Duration STUCK_FOLLOWER_ANSWERED_WITHIN = Duration.ofSeconds(10);
  static final Duration STUCK_FOLLOWER_MIN_INTERVAL = Duration.ofMinutes(5);
  public static final String VERSION = "0.1.0";
  /** Below the data directory: where a backup archive is written before it is streamed. */
  public static final String BACKUP_WORK_DIR = "backup-tmp";

  private final NodeConfig config;
  private final RaftServer server;
  private final DatastoreStateMachine stateMachine;
  private final RaftGateway gateway;
  private final LeaderDuties duties;
  private final Membership membership;
  private final ClientPort clientPort;
  private final ExecutorService replies;
  private final ScheduledExecutorService timer;
  private final NodeMetrics metrics;
  private final InetSocketAddress metricsAddress;

  private DatastoreNode(NodeConfig config, RaftServer server, DatastoreStateMachine stateMachine,
      RaftGateway gateway, LeaderDuties duties, Membership membership, ClientPort clientPort,
      ExecutorService replies, ScheduledExecutorService timer, NodeMetrics metrics, InetSocketAddress metricsAddress) {
    this.membership = membership;
    this.config = config;
    this.server = server;
    this.stateMachine = stateMachine;
    this.gateway = gateway;
    this.duties = duties;
    this.clientPort = clientPort;
    this.replies = replies;
    this.timer = timer;
    this.metrics = metrics;
    this.metricsAddress = metricsAddress;
  }

  /**
   * Extra knobs for tests and tools; production uses {@link #defaults()}. {@code join}: on first start
   * (no Raft storage yet) the server starts with the group id but no peers and waits for the leader to
   * add it (`datastore serve --join`); with existing storage it has no effect.
   */
  public record Options(Clock clock, Random random, Map<String, String> raftOverrides, Consumer<ErrorCode> rejections,
      boolean join) {
    public Options withRaftOverrides(Map<String, String> overrides) {
      return new Options(clock, random, overrides, rejections, join);
    }

    public Options withJoin(boolean join) {
      return new Options(clock, random, raftOverrides, rejections, join);
    }
  }

  public static Options defaults() {
    return new Options(Clock.systemUTC(), new java.security.SecureRandom(), Map.of(), code -> {}, false);
  }

  public static DatastoreNode start(NodeConfig config) throws IOException, InterruptedException {
    return start(config, defaults());
  }

  public static DatastoreNode start(NodeConfig config, Options options) throws IOException, InterruptedException {
    // First: unusable TLS material fails start-up before anything is created or opened.
    PeerTls peerTls = PeerTls.fromConfig(config);
    if (peerTls == null) {
      LOG.warn("TLS is disabled on the Raft port (Datastore-Raft-Insecure-Disable-TLS): any host that reaches it"
          + " can take part in the cluster's consensus");
    } else {
      LOG.info("node {} requires peer TLS on the Raft port ({})", config.nodeId(), peerTls);
    }
    Path dataDir = config.dataDir();
    Files.createDirectories(dataDir);
    Path raftDir = RaftSettings.raftDir(dataDir);
    RaftGroup group = group(config);
    RaftPeerId self = RaftPeerId.valueOf(config.nodeId());

    RaftProperties properties = RaftSettings.serverProperties(
        raftDir, config.raftListenAddress(), config.raftPort(), config.snapshotThreshold(), config.electionTimeout(),
        options.raftOverrides());
    List<String> peerIds = config.peers().stream().map(p -> p.id()).toList();
    // Before the RaftServer: Ratis reports its metric registries to the bridge as it creates them.
    NodeMetrics metrics = NodeMetrics.create(config.nodeId(), peerIds);
    DatastoreStateMachine stateMachine = metrics.stateMachine(StateMachineSettings.builder()
        .clock(options.clock())
        .random(options.random())
        .tombstoneRetention(config.tombstoneRetention())
        .commitDelay(config.applyCommitDelay())
        .build());
    boolean existing = RaftSettings.hasExistingStorage(raftDir);
    // Ratis requires a new member to start empty: the leader sends it the configuration with the log.
    boolean joining = options.join() && !existing;
    RaftServer server = RaftServer.newBuilder()
        .setServerId(self)
        .setGroup(joining ? JoiningStart.group(group, self) : group)
        .setProperties(properties)
        .setParameters(FollowerCommitGuard.install(PeerTls.parameters(peerTls)))
        .setStateMachine(stateMachine)
        .setOption(existing ? RaftStorage.StartupOption.RECOVER : RaftStorage.StartupOption.FORMAT)
        .build();
    server.start();
    RaftServer.Division division = server.getDivision(group.getGroupId());
    if (joining) {
      JoiningStart.stopListenerTimer(division);
    }
    LOG.info("node {} started Raft on port {} ({} storage in {})", self, config.raftPort(),
        existing ? "recovered" : joining ? "new, waiting to be added by add-node/replace-node," : "new", raftDir);

    ExecutorService replies = Executors.newFixedThreadPool(
        Math.max(2, Runtime.getRuntime().availableProcessors()), daemon("raft-replies"));
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(daemon("node-timer"));
    AppendChainGuard appendChain = AppendChainGuard.of(division, metrics.appendChainRestarts());
    if (appendChain != null) {
      timer.scheduleWithFixedDelay(appendChain::check, APPEND_CHAIN_CHECK.toMillis(), APPEND_CHAIN_CHECK.toMillis(),
          TimeUnit.MILLISECONDS);
    }
    java.util.function.Supplier<RaftClient> client = () -> RaftClient.newBuilder()
        .setClientId(ClientId.randomId())
        .setRaftGroup(group)
        .setLeaderId(null)
        .setProperties(clientProperties(config.requestTimeout()))
        .setParameters(PeerTls.parameters(peerTls))
        .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(
            (int) Math.max(1, config.requestTimeout().toMillis() / RAFT_CLIENT_RETRY_SLEEP.toMillis()),
            TimeDuration.valueOf(RAFT_CLIENT_RETRY_SLEEP.toMillis(), TimeUnit.MILLISECONDS)))
        .build();
    // Membership changes wait for a new member's catch-up: a client of their own with a long timeout.
    Membership.AdminClients adminClients = (peers, timeout) -> RaftClient.newBuilder()
        .setClientId(ClientId.randomId())
        .setRaftGroup(RaftGroup.valueOf(group.getGroupId(), peers))
        .setLeaderId(self)
        .setProperties(adminClientProperties(timeout))
        .setParameters(PeerTls.parameters(peerTls))
        .setRetryPolicy(RetryPolicies.noRetry())
        .build();
    StuckFollowerGuard stuckFollower = new StuckFollowerGuard(division, new StuckFollowerRule(
        STUCK_FOLLOWER_AFTER.toMillis(), STUCK_FOLLOWER_ANSWERED_WITHIN.toMillis(), STUCK_FOLLOWER_MIN_INTERVAL.toMillis()),
        System::currentTimeMillis, metrics.stuckFollowerTransfers());
    timer.scheduleWithFixedDelay(stuckFollower::check, STUCK_FOLLOWER_CHECK.toMillis(), STUCK_FOLLOWER_CHECK.toMillis(),
        TimeUnit.MILLISECONDS);
    Map<String, String> clientEndpoints = new java.util.HashMap<>();
    config.peers().forEach(p -> clientEndpoints.put(p.id(), p.client().toString()));
    RaftGateway gateway = new RaftGateway(server, group, self, stateMachine, client, clientEndpoints, replies,
        config.requestTimeout());
    LeaderDuties duties = new LeaderDuties(gateway, stateMachine, timer, options.clock(), options.random(),
        config.tombstoneRetention(), config.compactionInterval(), config.webserverExpiry());
    WatchHub watches = new WatchHub(replies, stateMachine::currentIdentity);
    stateMachine.addApplyListener(watches);
    Membership membership = new Membership(gateway, adminClients, options.clock());
    DatastoreService service = new DatastoreService(gateway, stateMachine, options.clock(),
        config.maxEntrySize(), config.maxFrameSize(), Duration.ofSeconds(2), VERSION, watches, membership,
        new BackupStreams(stateMachine, dataDir.resolve(BACKUP_WORK_DIR), config.nodeId(), config.maxFrameSize()));
    SslContext ssl = config.tlsDisabled() ? null
        : SslContexts.server(config.certificateFile().orElseThrow(), config.keyFile().orElseThrow());
    if (ssl == null) {
      LOG.warn("TLS is disabled on the client port (Datastore-Insecure-Disable-TLS=true): secrets and data travel in clear text");
    }
    ClientPort port = ClientPort.bind(new InetSocketAddress(config.listenAddress(), config.port()), ssl,
        config.maxFrameSize(), config.controlAuth(), metrics.instrument(service),
        metrics.rejections(options.rejections()), metrics.clientActivity());
    LOG.info("node {} serves clients on {}", self, port.localAddress());
    metrics.bind(gateway, server, group.getGroupId(), stateMachine, peerIds, dataDir, raftDir,
        config.snapshotThreshold(), port.localAddress().getPort());
    InetSocketAddress metricsAddress =
        metrics.serve(new InetSocketAddress(config.metricsListenAddress(), config.metricsPort()));
    return new DatastoreNode(config, server, stateMachine, gateway, duties, membership, port, replies, timer,
        metrics, metricsAddress);
  }

  static RaftGroup group(NodeConfig config) {
    List<RaftPeer> peers = config.peers().stream()
        .map(p -> RaftPeer.newBuilder()
            .setId(p.id())
            // Not setClientAddress: Ratis' own client dials that for gRPC; webserver endpoints are ours.
            .setAddress(p.raft().toString())
            .build())
        .toList();
    return RaftGroup.valueOf(RaftGroupId.valueOf(config.raftGroupId()), peers);
  }

  private static RaftProperties clientProperties(Duration requestTimeout) {
    RaftProperties p = new RaftProperties();
    RaftClientConfigKeys.Rpc.setRequestTimeout(p, TimeDuration.valueOf(
        Math.min(3000, requestTimeout.toMillis()), TimeUnit.MILLISECONDS));
    // Every client connection of this node funnels into this one RaftClient.
    RaftClientConfigKeys.Async.setOutstandingRequestsMax(p, 4096);
    return p;
  }

  private static RaftProperties adminClientProperties(Duration timeout) {
    RaftProperties p = new RaftProperties();
    RaftClientConfigKeys.Rpc.setRequestTimeout(p, TimeDuration.valueOf(timeout.toMillis(), TimeUnit.MILLISECONDS));
    return p;
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return new io.netty.util.concurrent.DefaultThreadFactory(name, true);
  }

  public InetSocketAddress clientAddress() {
    return clientPort.localAddress();
  }

  public RaftGateway raft() {
    return gateway;
  }

  public DatastoreStateMachine stateMachine() {
    return stateMachine;
  }

  public LeaderDuties leaderDuties() {
    return duties;
  }

  public NodeConfig config() {
    return config;
  }

  /** Where /metrics and /health/* are served. */
  public InetSocketAddress metricsAddress() {
    return metricsAddress;
  }

  @Override
  public void close() {
    closeQuietly("metrics", metrics::close);
    closeQuietly("client port", clientPort::close);
    closeQuietly("leader duties", duties::close);
    closeQuietly("membership", membership::close);
    closeQuietly("raft client", gateway::close);
    closeQuietly("raft server", server::close);
    timer.shutdownNow();
    replies.shutdownNow();
    LOG.info("node {} stopped", config.nodeId());
  }

  private interface Step {
    void run() throws Exception;
  }

  private static void closeQuietly(String what, Step step) {
    try {
      step.run();
    } catch (Exception e) {
      LOG.warn("closing the {} failed", what, e);
    }
  }
}
