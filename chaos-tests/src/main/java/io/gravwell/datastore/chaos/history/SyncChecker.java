package io.gravwell.datastore.chaos.history;

import io.gravwell.datastore.chaos.history.SyncObservations.Change;
import io.gravwell.datastore.chaos.history.SyncObservations.Reseed;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Checks the sync promises after a run has healed:
 * <ol>
 *   <li>convergence: every webserver holds the same objects with the same contents;
 *   <li>nothing lost: a webserver lacks an object that an acknowledged change created or updated only if its
 *       sync agent told it that object was deleted, and such a delete was really made by someone;
 *   <li>re-seed exactly at identity changes: each webserver re-seeded once per identity change it lived
 *       through (a change it slept through may be crossed in one re-seed), every re-seed moved it to a newer
 *       identity the cluster really had, and it ends on the cluster's last identity.
 * </ol>
 * Inputs are described on {@link SyncObservations}.
 */
public final class SyncChecker {

  private static final String MISSING = "(missing)";

  private SyncChecker() {
  }

  public static SyncResult check(SyncObservations o) {
    return new SyncResult(divergence(o.finalContents()), lost(o), identity(o));
  }

  private static List<String> divergence(Map<String, Map<String, String>> contents) {
    Set<String> keys = new TreeSet<>();
    contents.values().forEach(c -> keys.addAll(c.keySet()));
    List<String> problems = new ArrayList<>();
    for (String key : keys) {
      Map<String, String> versions = new TreeMap<>();
      contents.forEach((webserver, c) -> versions.put(webserver, c.getOrDefault(key, MISSING)));
      if (new HashSet<>(versions.values()).size() > 1) {
        problems.add(key + " " + versions);
      }
    }
    return problems;
  }

  private static List<String> lost(SyncObservations o) {
    Map<String, Change> lastWrite = new TreeMap<>();
    Set<String> deleted = new HashSet<>();
    for (Change c : o.changes()) {
      if (c.kind() == OpType.DELETE) {
        deleted.add(c.objectKey());
      } else if (c.outcome() == Outcome.OK) {
        lastWrite.put(c.objectKey(), c);
      }
    }
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, Map<String, String>> w : new TreeMap<>(o.finalContents()).entrySet()) {
      Set<String> told = o.toldDeleted().getOrDefault(w.getKey(), Set.of());
      for (Change written : lastWrite.values()) {
        if (!w.getValue().containsKey(written.objectKey()) && !told.contains(written.objectKey())) {
          problems.add(w.getKey() + " lost " + written.objectKey() + " (acknowledged " + written.kind() + " via "
              + written.webserver() + ", never told it was deleted)");
        }
      }
      for (String key : new TreeSet<>(told)) {
        if (!deleted.contains(key)) {
          problems.add(w.getKey() + " was told " + key + " was deleted, but nobody deleted it");
        }
      }
    }
    return problems;
  }

  private static List<String> identity(SyncObservations o) {
    List<String> timeline = o.clusterIdentities();
    String last = timeline.get(timeline.size() - 1);
    Map<String, List<Reseed>> byWebserver = new TreeMap<>();
    o.finalContents().keySet().forEach(w -> byWebserver.put(w, new ArrayList<>()));
    o.reseeds().forEach(r -> byWebserver.computeIfAbsent(r.webserver(), w -> new ArrayList<>()).add(r));
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, List<Reseed>> e : byWebserver.entrySet()) {
      String w = e.getKey();
      String current = timeline.get(0);
      for (Reseed r : e.getValue()) {
        int from = timeline.indexOf(r.fromIdentity());
        int to = timeline.indexOf(r.toIdentity());
        if (r.fromIdentity().equals(r.toIdentity()) || to < 0 || to <= from) {
          problems.add(w + " re-seeded without an identity change (" + r.fromIdentity() + " -> "
              + r.toIdentity() + " at " + r.time() + ")");
        } else {
          current = r.toIdentity();
        }
      }
      String held = o.finalIdentities().getOrDefault(w, current);
      if (!current.equals(last)) {
        problems.add(w + (held.equals(last) ? " adopted " + last + " without re-seeding"
            : " never re-seeded into " + last) + " (last re-seed left it on " + current + ")");
      } else if (!held.equals(last)) {
        problems.add(w + " re-seeded into " + last + " but holds " + held);
      }
    }
    return problems;
  }
}
