package io.gravwell.datastore.chaos.history;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the sync workload observed, for {@link SyncChecker}. Webservers are named by their id; objects by one
 * string key (e.g. {@code "dashboard/42"}); contents by a hash of the payload.
 *
 * @param finalContents each webserver's local objects after healing (objectKey to value hash), read once all
 *     webservers agreed or the convergence deadline (Datastore-Update-Interval + 5 s) passed
 * @param changes every create, update and delete the workload invoked through a webserver, acknowledged
 *     (OK) or not (UNKNOWN); changes that certainly failed may be left out
 * @param toldDeleted for each webserver, the objects its sync agent told the application were deleted
 *     (every delete it applied locally, whether the workload made it there or another webserver did)
 * @param clusterIdentities the identities the cluster had, oldest first (e.g. {@code "clusterId/incarnation"});
 *     more than one when a nemesis wiped every node or restored a backup
 * @param reseeds every re-seed a webserver reported, in time order
 * @param finalIdentities the identity each webserver holds at the end (from its checkpoint); may be empty
 */
public record SyncObservations(Map<String, Map<String, String>> finalContents, List<Change> changes,
    Map<String, Set<String>> toldDeleted, List<String> clusterIdentities, List<Reseed> reseeds,
    Map<String, String> finalIdentities) {

  public SyncObservations {
    if (clusterIdentities.isEmpty()) {
      throw new IllegalArgumentException("clusterIdentities must hold at least the identity the run started with");
    }
  }

  /**
   * One change the workload made through a webserver.
   *
   * @param kind CREATE, UPDATE or DELETE
   * @param valueHash the new content's hash; null for a delete
   * @param outcome OK when acknowledged, UNKNOWN when the webserver did not answer
   */
  public record Change(long time, String webserver, OpType kind, String objectKey, String valueHash,
      Outcome outcome) {
  }

  /** A webserver re-seeded the cluster when it found {@code toIdentity} where it had synced with {@code fromIdentity}. */
  public record Reseed(long time, String webserver, String fromIdentity, String toIdentity) {
  }
}
