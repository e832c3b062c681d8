package io.gravwell.datastore.chaos.workload;

import com.google.protobuf.ByteString;
import io.gravwell.datastore.chaos.cluster.ContainerCluster;
import io.gravwell.datastore.chaos.history.CheckResult;
import io.gravwell.datastore.chaos.history.History;
import io.gravwell.datastore.chaos.history.LinearizabilityChecker;
import io.gravwell.datastore.chaos.history.OpType;
import io.gravwell.datastore.protocol.v1.CompareAndSet;
import io.gravwell.datastore.protocol.v1.Get;
import io.gravwell.datastore.protocol.v1.GetResult;
import io.gravwell.datastore.protocol.v1.MutationResult;
import io.gravwell.datastore.protocol.v1.ObjectKey;
import io.gravwell.datastore.protocol.v1.Outcome;
import io.gravwell.datastore.protocol.v1.Put;
import io.gravwell.datastore.protocol.v1.Request;
import io.gravwell.datastore.protocol.v1.StoredObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Registers: clients on every node read, write and compare-and-set several keys holding small numbers;
 * the keys keep each one's history to a few hundred operations, which the linearizability search decides
 * quickly even with many unknown outcomes.
 * Read = a linearizable Get. Write = a Put (updated_ms 0: the node stamps it; losing last-writer-wins is a
 * definite failure). CAS(expected, new) = a linearizable Get, then, if the value is the expected one, a
 * CompareAndSet on the mod_rev that Get saw; so it applies exactly when the register still holds the
 * expected value at the CAS's point in the log.
 */
public final class RegisterWorkload implements Workload {
  static final String DOMAIN = "chaos";
  static final String KIND = "register";
  private final int keys;
  private final int clients;
  private final Duration pause;
  private final ClientLoop loop = new ClientLoop();
  private History history;

  public RegisterWorkload(int keys, int clients, Duration pause) {
    this.keys = keys;
    this.clients = clients;
    this.pause = pause;
  }

  @Override
  public String name() {
    return "register";
  }

  @Override
  public void start(ContainerCluster cluster, History history, int firstProcess, long seed) {
    this.history = history;
    loop.start(name(), cluster, clients, firstProcess, seed, pause, this::step);
  }

  private boolean step(NodeClient client, int process, SplittableRandom random) {
    String key = "r" + random.nextInt(keys);
    int dice = random.nextInt(10);
    if (dice < 4) {
      return read(client, process, key);
    } else if (dice < 7) {
      return write(client, process, key, random.nextInt(5));
    }
    return cas(client, process, key, random.nextInt(5), random.nextInt(5));
  }

  private boolean read(NodeClient client, int process, String key) {
    long p = history.invoke(process, OpType.READ, key, null);
    try {
      history.ok(p, value(get(client, key)));
      return true;
    } catch (Exception e) {
      return failOrUnknown(p, e);
    }
  }

  private boolean write(NodeClient client, int process, String key, long value) {
    long p = history.invoke(process, OpType.WRITE, key, value);
    try {
      Request.Builder put = Request.newBuilder().setPut(Put.newBuilder().setObject(object(key, value)));
      MutationResult r = client.call(put).getWrite().getResults(0);
      if (r.getOutcome() == Outcome.APPLIED) {
        history.ok(p, value);
      } else {
        history.fail(p, r.getOutcome() + " " + r.getMessage());
      }
      return true;
    } catch (Exception e) {
      return failOrUnknown(p, e);
    }
  }

  private boolean cas(NodeClient client, int process, String key, long expected, long next) {
    long p = history.invoke(process, OpType.CAS, key, new long[] {expected, next});
    try {
      GetResult current = get(client, key);
      Long value = value(current);
      if (value == null || value != expected) {
        history.fail(p, History.CAS_MISMATCH); // it read another value: the checker counts it as a read
        return true;
      }
      Request.Builder cas = Request.newBuilder().setCas(CompareAndSet.newBuilder()
          .setExpectedModRev(current.getObject().getModRev()).setPut(object(key, next)));
      MutationResult r = client.call(cas).getWrite().getResults(0);
      if (r.getOutcome() == Outcome.APPLIED) {
        history.ok(p, new long[] {expected, next});
      } else {
        history.fail(p, r.getOutcome() + " " + r.getMessage());
      }
      return true;
    } catch (Exception e) {
      return failOrUnknown(p, e);
    }
  }

  private boolean failOrUnknown(long p, Exception e) {
    if (Outcomes.definitelyFailed(e)) {
      history.fail(p, Outcomes.describe(e));
      return true;
    }
    history.unknown(p, Outcomes.describe(e));
    return false;
  }

  private static GetResult get(NodeClient client, String key) throws Exception {
    return client.call(Request.newBuilder().setGet(Get.newBuilder().setKey(key(key)))).getGet();
  }

  private static Long value(GetResult r) {
    if (!r.getFound() || r.getObject().getDeleted()) {
      return null;
    }
    return Long.parseLong(r.getObject().getPayload().toString(StandardCharsets.UTF_8));
  }

  private static ObjectKey key(String id) {
    return ObjectKey.newBuilder().setDomain(DOMAIN).setKind(KIND).setId(id).build();
  }

  private static StoredObject object(String key, long value) {
    return StoredObject.newBuilder().setKey(key(key)).setOrigin("chaos")
        .setPayload(ByteString.copyFromUtf8(Long.toString(value))).build();
  }

  @Override
  public void stop() {
    loop.stop();
  }

  @Override
  public Map<String, CheckResult> check(ContainerCluster cluster, History history) {
    // an UNKNOWN verdict (search budget exhausted) is not valid, so it fails the run like a violation
    return Map.of("register-linearizable", LinearizabilityChecker.check(history.ops()));
  }
}
