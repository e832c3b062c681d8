package io.gravwell.datastore.chaos.workload;

import com.fasterxml.jackson.databind.JsonNode;
import io.gravwell.datastore.chaos.cluster.ContainerCluster;
import io.gravwell.datastore.chaos.cluster.NodeContainer;
import io.gravwell.datastore.chaos.docker.Daemons;
import io.gravwell.datastore.chaos.history.CheckResult;
import io.gravwell.datastore.chaos.history.History;
import io.gravwell.datastore.chaos.history.OpType;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.awaitility.Awaitility;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reference webservers in containers create, update and delete users, groups, dashboards and resources
 * (plus user preferences and resource content) and add search history through their REST API while the
 * nemesis runs. Each webserver only changes the
 * objects it created, so its client knows exactly what that webserver was told: an object it created
 * and did not delete must never go missing from it (checked during the run and at the end on every
 * webserver); a deleted object must not come back, not even when the cluster lost every disk right after the
 * delete (the webservers remember acknowledged deletes and re-seed them too); after healing all webservers must
 * hold the same objects within Datastore-Update-Interval + 5 s; and each webserver's re-seed counter must grow
 * by exactly the number of cluster identities that appeared during the run.
 *
 * <p>These checks are the workload's own rather than {@code SyncChecker}'s: that checker needs what each sync
 * agent told its application (the deletes it applied, each re-seed's from/to identity), which a webserver in a
 * container does not expose; the workload sees only its REST API and the re-seed counter. Feeding the checker
 * guesses (say, every delete as "told") would let a real loss pass, and it has no equivalent of the audits
 * during the run, the 404 on an update, the resurrection check or the convergence deadline.
 */
public final class SyncWorkload implements Workload {
  private static final Logger LOG = LoggerFactory.getLogger(SyncWorkload.class);
  private static final List<String> KINDS = List.of("users", "groups", "dashboards", "resources");

  private enum State { PRESENT, DELETED, UNCERTAIN }

  private record Obj(String kind, String id) {}

  private final int webservers;
  private final List<WebClient> clients = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private final Map<Obj, State> model = new ConcurrentHashMap<>();
  private final List<String> violations = new CopyOnWriteArrayList<>();
  private static final String SEARCH_PREFIX = "searchhistory/";
  // Acknowledged search history entries; fewer than 100 per searcher in a run, so none is trimmed.
  private final Set<String> searches = ConcurrentHashMap.newKeySet();
  // Every identity the sampler saw, with when it was first and last seen (System.nanoTime), and when each
  // delete was acknowledged: a resurrection is reported with how long before a total loss its delete was.
  private final Map<String, Long> identityFirstSeen = new ConcurrentHashMap<>();
  private final Map<String, Long> identityLastSeen = new ConcurrentHashMap<>();
  private final Map<Obj, Long> deletedAt = new ConcurrentHashMap<>();
  private final Map<String, Long> reseedBaseline = new LinkedHashMap<>();
  private volatile boolean running = true;
  private final Map<WebClient, Integer> processes = new ConcurrentHashMap<>();
  private History history;
  private ContainerCluster cluster;

  public SyncWorkload(int webservers) {
    this.webservers = webservers;
  }

  @Override
  public String name() {
    return "sync";
  }

  @Override
  public void start(ContainerCluster cluster, History history, int firstProcess, long seed) {
    this.cluster = cluster;
    this.history = history;
    for (int i = 0; i < webservers; i++) {
      WebClient c = new WebClient(cluster.startWebserver());
      clients.add(c);
      processes.put(c, firstProcess + i);
    }
    for (WebClient c : clients) {
      Awaitility.await(c.webserver() + " synced once").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
          .ignoreExceptions().until(() -> !c.getJson("/health").path("last_successful_sync_ms").isNull());
      try {
        reseedBaseline.put(c.webserver().name(), c.counter("datastore_client_reseeds_total"));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
    sampleIdentity();
    SplittableRandom root = new SplittableRandom(seed);
    for (WebClient c : clients) {
      SplittableRandom random = root.split();
      threads.add(Daemons.start("sync-" + c.webserver().name(), () -> loop(c, random)));
    }
    threads.add(Daemons.start("sync-identity", () -> {
      while (running) {
        sampleIdentity();
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(500));
      }
    }));
  }

  private void sampleIdentity() {
    for (NodeContainer n : cluster.nodes()) {
      n.identity().ifPresent(id -> {
        String identity = id.getClusterId() + "/" + id.getIncarnation();
        long now = System.nanoTime();
        identityFirstSeen.putIfAbsent(identity, now);
        identityLastSeen.put(identity, now);
      });
    }
  }

  private void loop(WebClient c, SplittableRandom random) {
    String me = c.webserver().name();
    int counter = 0;
    while (running) {
      String kind = KINDS.get(random.nextInt(KINDS.size()));
      List<Obj> mine = model.entrySet().stream()
          .filter(e -> e.getValue() == State.PRESENT && e.getKey().kind().equals(kind) && e.getKey().id().startsWith(me + "-"))
          .map(Map.Entry::getKey).sorted(java.util.Comparator.comparing(Obj::id)).toList();
      int dice = random.nextInt(100);
      try {
        if (dice < 8) {
          search(c, ++counter);
        } else if (dice < 35 || mine.isEmpty()) {
          create(c, new Obj(kind, me + "-" + kind + "-" + (++counter)));
        } else if (dice < 70) {
          update(c, mine.get(random.nextInt(mine.size())), random.nextInt(1000));
        } else if (dice < 85) {
          delete(c, mine.get(random.nextInt(mine.size())));
        } else {
          audit(c, kind);
        }
      } catch (RuntimeException e) {
        violations.add(me + ": unexpected " + e);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100 + random.nextInt(200)));
    }
  }

  private static String idField(String kind) {
    return kind.equals("resources") ? "guid" : "id";
  }

  private void create(WebClient c, Obj o) {
    String body = "{\"" + idField(o.kind()) + "\":\"" + o.id() + "\",\"name\":\"v0\",\"global\":true}";
    model.put(o, State.UNCERTAIN);
    try {
      WebClient.Reply r = recorded(c, OpType.CREATE, o.kind() + "/" + o.id(), body, "POST", "/api/" + o.kind());
      model.put(o, r.ok() ? State.PRESENT : State.DELETED); // an answered refusal created nothing
    } catch (IOException e) {
      // unknown: the object may exist; it is left out of the loss check
    }
  }

  private void update(WebClient c, Obj o, int version) {
    String body = "{\"" + idField(o.kind()) + "\":\"" + o.id() + "\",\"name\":\"v" + version + "\",\"global\":true}";
    String key = o.kind() + "/" + o.id();
    try {
      WebClient.Reply r = recorded(c, OpType.UPDATE, key, body, "PUT", "/api/" + key);
      if (r.status() == 404) {
        violations.add(c.webserver().name() + " lost " + o + ": update answered 404 though it was never deleted");
      }
      if (r.ok() && o.kind().equals("users")) {
        recorded(c, OpType.UPDATE, key + "/preferences", "{\"theme\":\"t" + version + "\"}", "PUT", "/api/" + key + "/preferences");
      }
      if (r.ok() && o.kind().equals("resources")) {
        // Content moves in chunks, apart from the metadata: the final views compare the bytes too.
        String content = ("content of " + o.id() + " v" + version + "\n").repeat(version % 50 + 1);
        recorded(c, OpType.UPDATE, key + "/raw", content, "PUT", "/api/" + key + "/raw");
      }
    } catch (IOException e) {
      // an update's outcome does not change presence
    }
  }

  private void delete(WebClient c, Obj o) {
    model.put(o, State.UNCERTAIN);
    try {
      WebClient.Reply r = recorded(c, OpType.DELETE, o.kind() + "/" + o.id(), null, "DELETE", "/api/" + o.kind() + "/" + o.id());
      if (r.status() == 404) {
        violations.add(c.webserver().name() + " lost " + o + ": delete answered 404 though it was never deleted");
      }
      if (r.ok()) {
        deletedAt.put(o, System.nanoTime());
      }
      model.put(o, r.ok() || r.status() == 404 ? State.DELETED : State.PRESENT);
    } catch (IOException e) {
      // unknown: it may or may not be gone
    }
  }

  /**
   * Search history has no delete in the API (the webserver trims each user's history to its newest 100),
   * so it is checked apart from the other kinds: every acknowledged entry must reach every webserver.
   */
  private void search(WebClient c, int n) {
    String user = searcher(c.webserver().name());
    String body = "{\"user\":\"" + user + "\",\"query\":\"tag=chaos " + n + "\"}";
    try {
      WebClient.Reply r = recorded(c, OpType.CREATE, SEARCH_PREFIX + user, body, "POST", "/api/searchhistory");
      if (r.ok()) {
        searches.add(WebClient.JSON.readTree(r.body()).path("id").asText());
      }
    } catch (IOException e) {
      // unknown outcome: the entry may exist; only acknowledged ones are checked
    }
  }

  /**
   * Sends one change and records it in the run's history (process = the webserver's client; value = the
   * body's hash, null for a delete): ok on 2xx, fail on any other answer, unknown when none came.
   */
  private WebClient.Reply recorded(WebClient c, OpType type, String key, String body, String method, String path)
      throws IOException {
    Long value = body == null ? null : (long) body.hashCode();
    long p = history.invoke(processes.get(c), type, key, value);
    try {
      WebClient.Reply r = c.send(method, path, body);
      if (r.ok()) {
        history.ok(p, value);
      } else {
        history.fail(p, r.status() + " " + r.body());
      }
      return r;
    } catch (IOException e) {
      history.unknown(p, e.toString());
      throw e;
    }
  }

  private static String searcher(String webserver) {
    return webserver + "-searcher";
  }

  /** Everything this webserver created and did not delete must still be on it. */
  private void audit(WebClient c, String kind) {
    String me = c.webserver().name();
    Set<String> before = ids(State.PRESENT, kind, me);
    try {
      Set<String> listed = listIds(c, kind);
      before.retainAll(ids(State.PRESENT, kind, me)); // ignore objects changed while listing (none: one thread)
      before.removeAll(listed);
      if (!before.isEmpty()) {
        violations.add(me + " lost " + kind + " " + before + " during the run");
      }
    } catch (IOException e) {
      // no answer: nothing learned
    }
  }

  private Set<String> ids(State state, String kind, String prefix) {
    Set<String> out = new LinkedHashSet<>();
    model.forEach((o, s) -> {
      if (s == state && o.kind().equals(kind) && (prefix == null || o.id().startsWith(prefix + "-"))) {
        out.add(o.id());
      }
    });
    return out;
  }

  private static Set<String> listIds(WebClient c, String kind) throws IOException {
    Set<String> ids = new LinkedHashSet<>();
    for (JsonNode n : c.getJson("/api/" + kind)) {
      ids.add(n.path(idField(kind)).asText());
    }
    return ids;
  }

  /** One webserver's view: every object as JSON, each resource's content, and the searchers' history. */
  private Map<String, String> contents(WebClient c) throws IOException {
    Map<String, String> all = new TreeMap<>();
    for (String kind : KINDS) {
      for (JsonNode n : c.getJson("/api/" + kind)) {
        all.put(kind + "/" + n.path(idField(kind)).asText(), n.toString());
      }
    }
    for (String key : List.copyOf(all.keySet())) {
      if (key.startsWith("resources/")) {
        WebClient.Reply raw = c.send("GET", "/api/" + key + "/raw", null);
        all.put(key + "/raw", raw.status() + " " + raw.body().length() + " bytes " + Integer.toHexString(raw.body().hashCode()));
      }
    }
    for (WebClient w : clients) {
      String user = searcher(w.webserver().name());
      for (JsonNode n : c.getJson("/api/searchhistory?user=" + user)) {
        all.put(SEARCH_PREFIX + n.path("id").asText(), n.toString());
      }
    }
    return all;
  }

  @Override
  public void stop() {
    running = false;
    Daemons.joinAll(threads, Duration.ofSeconds(30));
  }

  @Override
  public Map<String, CheckResult> check(ContainerCluster cluster, History history) {
    Map<String, CheckResult> verdicts = new LinkedHashMap<>();
    Duration limit = cluster.updateInterval().plusSeconds(5);
    long start = System.nanoTime();
    List<Map<String, String>> last = new ArrayList<>();
    boolean converged = false;
    while (System.nanoTime() - start < limit.toNanos()) {
      last.clear();
      try {
        for (WebClient c : clients) {
          last.add(contents(c));
        }
        if (last.stream().distinct().count() == 1) {
          converged = true;
          break;
        }
      } catch (IOException e) {
        last.clear();
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(250));
    }
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    verdicts.put("sync-converged", new CheckResult(converged, converged
        ? "all " + clients.size() + " webservers equal after " + ms + " ms (limit " + limit.toMillis() + " ms), "
            + (last.isEmpty() ? 0 : last.get(0).size()) + " objects"
        : "not equal within " + limit.toMillis() + " ms: " + difference(last), List.of()));
    verdicts.put("sync-nothing-lost", lossVerdict(last));
    verdicts.put("sync-reseed-on-identity-change", reseedVerdict());
    return verdicts;
  }

  private static String difference(List<Map<String, String>> views) {
    if (views.size() < 2) {
      return "some webserver did not answer";
    }
    StringBuilder s = new StringBuilder();
    for (int i = 1; i < views.size(); i++) {
      Set<String> keys = new LinkedHashSet<>(views.get(0).keySet());
      keys.addAll(views.get(i).keySet());
      int shown = 0;
      for (String k : keys) {
        if (!Objects.equals(views.get(0).get(k), views.get(i).get(k)) && shown++ < 5) {
          s.append("web1 vs web").append(i + 1).append(' ').append(k).append(": ").append(views.get(0).get(k))
              .append(" / ").append(views.get(i).get(k)).append("; ");
        }
      }
    }
    return s.toString();
  }

  /**
   * How long before a total loss (the last sighting of a superseded identity, among {@code losses}) a delete
   * acknowledged at {@code deletedAt} was, for the verdict's message: a resurrection right after a loss points
   * at the re-seed, an older one at something else. Empty when no loss followed within {@code window}.
   */
  static String beforeTotalLoss(Long deletedAt, List<Long> losses, long window) {
    if (deletedAt == null) {
      return "";
    }
    for (long loss : losses) {
      if (deletedAt > loss - window && deletedAt <= loss + window) {
        return String.format(java.util.Locale.ROOT, " (delete acknowledged %.2f s before a total loss)",
            (loss - deletedAt) / 1e9);
      }
    }
    return "";
  }

  /** The last time each superseded identity was seen: the cluster lost every disk after it. */
  private List<Long> totalLosses() {
    List<String> order = new ArrayList<>(identityFirstSeen.keySet());
    order.sort(java.util.Comparator.comparing(identityFirstSeen::get));
    List<Long> losses = new ArrayList<>();
    for (int i = 0; i + 1 < order.size(); i++) {
      losses.add(identityLastSeen.get(order.get(i)));
    }
    return losses;
  }

  private CheckResult lossVerdict(List<Map<String, String>> views) {
    List<String> problems = new ArrayList<>(violations);
    List<Long> losses = totalLosses();
    long window = cluster.updateInterval().plusSeconds(2).toNanos();
    int present = 0;
    int deleted = 0;
    for (int i = 0; i < views.size(); i++) {
      for (String kind : KINDS) {
        for (String id : ids(State.PRESENT, kind, null)) {
          present++;
          if (!views.get(i).containsKey(kind + "/" + id)) {
            problems.add("web" + (i + 1) + " misses " + kind + "/" + id);
          }
        }
        for (String id : ids(State.DELETED, kind, null)) {
          deleted++;
          if (views.get(i).containsKey(kind + "/" + id)) {
            problems.add("web" + (i + 1) + " still has deleted " + kind + "/" + id
                + beforeTotalLoss(deletedAt.get(new Obj(kind, id)), losses, window));
          }
        }
      }
    }
    for (int i = 0; i < views.size(); i++) {
      for (String id : searches) {
        present++;
        if (!views.get(i).containsKey(SEARCH_PREFIX + id)) {
          problems.add("web" + (i + 1) + " misses search history entry " + id);
        }
      }
    }
    if (views.isEmpty()) {
      problems.add("no final view of the webservers");
    }
    return new CheckResult(problems.isEmpty(), problems.isEmpty()
        ? "checked " + present + " present and " + deleted + " deleted object copies; nothing lost or resurrected"
        : problems.size() + " problems: " + problems.stream().limit(10).toList(), List.of());
  }

  private CheckResult reseedVerdict() {
    sampleIdentity();
    int changes = Math.max(0, identityFirstSeen.size() - 1);
    List<String> problems = new ArrayList<>();
    Map<String, Long> deltas = new LinkedHashMap<>();
    for (WebClient c : clients) {
      try {
        long delta = c.counter("datastore_client_reseeds_total") - reseedBaseline.get(c.webserver().name());
        deltas.put(c.webserver().name(), delta);
        if (delta != changes) {
          problems.add(c.webserver().name() + " re-seeded " + delta + " times");
        }
      } catch (IOException e) {
        problems.add(c.webserver().name() + ": " + e.getMessage());
      }
    }
    String what = "identities seen " + identityFirstSeen.keySet() + " (" + changes + " changes), re-seeds " + deltas;
    LOG.info("sync re-seeds: {}", what);
    return new CheckResult(problems.isEmpty(), problems.isEmpty() ? what : what + ": " + problems, List.of());
  }
}
