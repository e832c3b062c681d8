package io.gravwell.datastore.chaos.workload;

import com.google.protobuf.ByteString;
import io.gravwell.datastore.chaos.cluster.ContainerCluster;
import io.gravwell.datastore.chaos.cluster.NodeContainer;
import io.gravwell.datastore.chaos.history.CheckResult;
import io.gravwell.datastore.chaos.history.History;
import io.gravwell.datastore.chaos.history.OpType;
import io.gravwell.datastore.chaos.history.SetChecker;
import io.gravwell.datastore.protocol.v1.ListResult;
import io.gravwell.datastore.protocol.v1.MutationResult;
import io.gravwell.datastore.protocol.v1.ObjectKey;
import io.gravwell.datastore.protocol.v1.Outcome;
import io.gravwell.datastore.protocol.v1.Put;
import io.gravwell.datastore.protocol.v1.Request;
import io.gravwell.datastore.protocol.v1.StoredObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;

/**
 * A grow-only set: clients on every node add unique numbers (one object each); after healing, a
 * linearizable listing through every node must hold every acknowledged add, nothing never attempted, and
 * nothing twice.
 */
public final class SetWorkload implements Workload {
  static final String KIND = "set";
  private static final String SET_KEY = "set";
  private final int clients;
  private final Duration pause;
  private final ClientLoop loop = new ClientLoop();
  private final AtomicLong next = new AtomicLong();
  private History history;

  public SetWorkload(int clients, Duration pause) {
    this.clients = clients;
    this.pause = pause;
  }

  @Override
  public String name() {
    return "set";
  }

  @Override
  public void start(ContainerCluster cluster, History history, int firstProcess, long seed) {
    this.history = history;
    loop.start(name(), cluster, clients, firstProcess, seed, pause, this::add);
  }

  private boolean add(NodeClient client, int process, SplittableRandom random) {
    long element = next.incrementAndGet();
    long p = history.invoke(process, OpType.ADD, SET_KEY, element);
    try {
      StoredObject o = StoredObject.newBuilder()
          .setKey(ObjectKey.newBuilder().setDomain(RegisterWorkload.DOMAIN).setKind(KIND).setId(id(element)))
          .setOrigin("chaos").setPayload(ByteString.copyFromUtf8(Long.toString(element))).build();
      MutationResult r = client.call(Request.newBuilder().setPut(Put.newBuilder().setObject(o))).getWrite().getResults(0);
      if (r.getOutcome() == Outcome.APPLIED) {
        history.ok(p, element);
      } else {
        history.fail(p, r.getOutcome() + " " + r.getMessage());
      }
      return true;
    } catch (Exception e) {
      if (Outcomes.definitelyFailed(e)) {
        history.fail(p, Outcomes.describe(e));
        return true;
      }
      history.unknown(p, Outcomes.describe(e));
      return false;
    }
  }

  private static String id(long element) {
    return String.format("%012d", element);
  }

  @Override
  public void stop() {
    loop.stop();
  }

  @Override
  public Map<String, CheckResult> check(ContainerCluster cluster, History history) {
    Map<String, CheckResult> verdicts = new java.util.LinkedHashMap<>();
    for (NodeContainer node : cluster.nodes()) {
      verdicts.put("set-via-" + node.id(), SetChecker.check(history.ops(), SET_KEY, finalRead(node)).toCheckResult());
    }
    return verdicts;
  }

  /** Every element, listed page by page with linearizable reads through one node (retried until it answers). */
  static List<Long> finalRead(NodeContainer node) {
    List<Long> out = new ArrayList<>();
    Awaitility.await("a full listing through " + node).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
        .ignoreExceptions().until(() -> {
          out.clear();
          try (NodeClient client = new NodeClient(node, "chaos-final-read")) {
            String token = "";
            do {
              ListResult page = client.call(Request.newBuilder().setList(io.gravwell.datastore.protocol.v1.List.newBuilder()
                  .setDomain(RegisterWorkload.DOMAIN).setKind(KIND).setPageToken(token).setLimit(1000))).getList();
              for (StoredObject o : page.getObjectsList()) {
                out.add(Long.parseLong(o.getPayload().toStringUtf8()));
              }
              token = page.getNextPageToken();
            } while (!token.isEmpty());
          }
          return true;
        });
    return out;
  }
}
