package io.gravwell.datastore.chaos.nemesis;

import io.gravwell.datastore.chaos.cluster.RaftRoute;
import io.gravwell.datastore.chaos.history.NemesisEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Added latency on the Raft links: the cluster is built with every node's Raft address pointing at a
 * {@link LatencyProxy} in the test JVM (on the network's gateway), and start() sets a random delay of
 * 20–200 ms on each node's inbound link. The cluster must be created with {@link #route()}.
 */
public final class LatencyNemesis implements Nemesis, AutoCloseable {
  private final Map<String, LatencyProxy> proxies = new ConcurrentHashMap<>();

  @Override
  public String name() {
    return "latency";
  }

  /** Routes Raft traffic to each node through its own proxy. */
  public RaftRoute route() {
    return (nodeId, nodeAddress, network) -> network.gateway() + ":" + proxyFor(nodeId, nodeAddress).port();
  }

  private LatencyProxy proxyFor(String nodeId, String nodeAddress) {
    return proxies.computeIfAbsent(nodeId, id -> {
      try {
        return new LatencyProxy(new InetSocketAddress(nodeAddress, io.gravwell.datastore.chaos.cluster.NodeContainer.RAFT_PORT));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  @Override
  public String unsupportedReason(Faults faults) {
    return proxies.isEmpty() ? "the cluster was not built with LatencyNemesis.route()" : null;
  }

  @Override
  public void start(Faults faults) {
    StringBuilder detail = new StringBuilder();
    proxies.forEach((id, proxy) -> {
      long ms = 20 + faults.random().nextInt(181);
      proxy.setDelayMillis(ms);
      detail.append(id).append(" +").append(ms).append("ms ");
    });
    faults.record(this, NemesisEvent.Action.START, detail.toString().trim());
  }

  @Override
  public void heal(Faults faults) {
    proxies.values().forEach(p -> p.setDelayMillis(0));
    faults.record(this, NemesisEvent.Action.HEAL, "no added delay");
  }

  @Override
  public void close() {
    proxies.values().forEach(LatencyProxy::close);
  }

}
