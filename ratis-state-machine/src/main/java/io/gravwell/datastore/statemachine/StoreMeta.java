package io.gravwell.datastore.statemachine;

/**
 * The store-wide values kept next to the objects.
 *
 * @param clusterId empty until an InitIdentity entry has been applied
 * @param incarnation 0 until the identity is set
 * @param compactRevision the highest mod_rev of any tombstone removed by compaction
 * @param pending set by a restore until the first leader commits the restored cluster's new incarnation;
 *     null otherwise
 */
public record StoreMeta(AppliedPosition lastApplied, String clusterId, long incarnation, long compactRevision,
    PendingIdentity pending) {

  public static final StoreMeta EMPTY = new StoreMeta(AppliedPosition.NONE, "", 0, 0, null);

  /**
   * What a restore leaves for the first leader: the kept cluster id and the lowest incarnation it may
   * take. Restoring the same archive twice must not give the same (cluster id, incarnation) twice, or a
   * webserver synced after the first restore would take the second one's state for the same history once
   * its revisions climbed back. The incarnation is therefore chosen when the restored cluster first runs,
   * from the time in the log entry that sets it, not from the archive alone.
   */
  public record PendingIdentity(String clusterId, long minIncarnation) {}

  public boolean hasIdentity() {
    return !clusterId.isEmpty();
  }
}
