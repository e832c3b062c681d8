package io.gravwell.datastore.node.metrics;

import io.gravwell.datastore.node.net.ClientActivityListener;
import io.gravwell.datastore.node.net.RequestService;
import io.gravwell.datastore.node.raft.RaftGateway;
import io.gravwell.datastore.node.raft.RaftStatus;
import io.gravwell.datastore.protocol.client.DatastoreException;
import io.gravwell.datastore.protocol.v1.ErrorCode;
import io.gravwell.datastore.statemachine.DatastoreStateMachine;
import io.gravwell.datastore.statemachine.StateMachineSettings;
import io.gravwell.datastore.metrics.ProcessMeters;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.RaftServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything a node measures, in one Prometheus registry per node (several nodes may share a test JVM).
 * Built in two steps because of Raft's start order: {@link #create} before the RaftServer (so Ratis reports
 * its metric registries to the bridge as it creates them, and the state machine can be instrumented), then
 * {@link #bind} once the server, gateway and client port exist.
 */
public final class NodeMetrics implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NodeMetrics.class);

  private final String nodeId;
  private final PrometheusMeterRegistry registry;
  private final RatisMetricsBridge ratis;
  private final SnapshotMetrics snapshots;
  private final RaftEvents raftEvents;
  private final RejectionMetrics rejections;
  private final WebserverCheckins checkins;
  private final ProcessMeters process;
  private final ScheduledExecutorService poller;
  private volatile RaftGateway gateway;
  private MetricsHttpServer http;

  private NodeMetrics(String nodeId, List<String> peers) {
    this.nodeId = nodeId;
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    this.process = ProcessMeters.bindTo(registry);
    this.ratis = new RatisMetricsBridge(registry, nodeId, peers);
    this.snapshots = new SnapshotMetrics(registry);
    this.raftEvents = new RaftEvents(registry);
    this.rejections = new RejectionMetrics(registry);
    this.checkins = new WebserverCheckins(registry, Clock.systemUTC());
    this.poller = Executors.newSingleThreadScheduledExecutor(
        new io.netty.util.concurrent.DefaultThreadFactory("metrics-poll", true));
  }

  /** Call before building the RaftServer. */
  public static NodeMetrics create(String nodeId, List<String> peers) {
    NodeMetrics m = new NodeMetrics(nodeId, peers);
    m.ratis.start();
    return m;
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** The state machine to hand to the RaftServer: the datastore's, with snapshot and leader-change hooks. */
  public DatastoreStateMachine stateMachine(StateMachineSettings settings) {
    return new InstrumentedStateMachine(settings, snapshots, raftEvents);
  }

  /** Wraps the service the client port calls, timing every request by operation and result. */
  public RequestService instrument(RequestService service) {
    return new InstrumentedRequestService(service, registry);
  }

  /** The client port's rejection hook: counts, then passes on to {@code next} (tests may listen too). */
  public Consumer<ErrorCode> rejections(Consumer<ErrorCode> next) {
    return rejections.andThen(next);
  }

  /** The client port's activity hook: per-webserver last check-in and revision lag. */
  /** Counts the restarts of a follower's log-append chain ({@code AppendChainGuard}). */
  public Runnable appendChainRestarts() {
    return raftEvents::appendChainRestarted;
  }

  /** Counts the leadership hand-overs for a stuck follower ({@code StuckFollowerGuard}). */
  public Runnable stuckFollowerTransfers() {
    return raftEvents::stuckFollowerTransferred;
  }

  public ClientActivityListener clientActivity() {
    return checkins;
  }

  /** Starts the Raft and store gauges; call once the Raft server runs. */
  public void bind(RaftGateway gateway, RaftServer server, RaftGroupId groupId, DatastoreStateMachine stateMachine,
      List<String> peers, Path dataDir, Path raftDir, long snapshotThreshold, int clientPort) {
    this.gateway = gateway;
    RaftMetrics raft = new RaftMetrics(registry, () -> server.getDivision(groupId), nodeId, peers, ratis);
    StoreMetrics store = new StoreMetrics(registry, stateMachine, dataDir, raftDir, snapshotThreshold);
    ClientConnections connections = new ClientConnections(registry, clientPort);
    checkins.bind(stateMachine::appliedIndex);
    raft.refresh();
    // Raft facts change fast and are cheap to read; disk walks and counts are slower and change slowly.
    poller.scheduleWithFixedDelay(guarded(raft::refresh), 1, 1, TimeUnit.SECONDS);
    poller.scheduleWithFixedDelay(guarded(checkins::refresh), 1, 1, TimeUnit.SECONDS);
    poller.scheduleWithFixedDelay(guarded(() -> {
      store.refresh();
      connections.refresh();
    }), 0, 5, TimeUnit.SECONDS);
  }

  /** Serves /metrics and /health/* on {@code address} from now on. */
  public InetSocketAddress serve(InetSocketAddress address) throws IOException {
    http = MetricsHttpServer.start(address, registry, this::readiness);
    return http.localAddress();
  }

  public Readiness readiness() {
    RaftGateway g = gateway;
    if (g == null) {
      return Readiness.unavailable(nodeId, "starting");
    }
    try {
      RaftStatus s = g.status();
      return Readiness.of(s.nodeId(), s.role(), s.term(), s.leaderId(), s.commitIndex(), s.appliedIndex());
    } catch (DatastoreException e) {
      return Readiness.unavailable(nodeId, e.getMessage());
    }
  }

  private static Runnable guarded(Runnable r) {
    // An exception would cancel the periodic task for good; a metric must never stop updating silently.
    return () -> {
      try {
        r.run();
      } catch (RuntimeException e) {
        LOG.warn("refreshing metrics failed", e);
      }
    };
  }

  @Override
  public void close() {
    if (http != null) {
      http.close();
    }
    poller.shutdownNow();
    ratis.close();
    process.close();
    registry.close();
  }
}
