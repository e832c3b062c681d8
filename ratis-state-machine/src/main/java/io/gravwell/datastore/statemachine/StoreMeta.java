package io.gravwell.datastore.statemachine;

/**
 * The store-wide values kept next to the objects.
 *
 * @param clusterId empty until an InitIdentity entry has been applied
 * @param incarnation 0 until the identity is set
 * @param compactRevision the highest mod_rev of any tombstone removed by compaction
 */
public record StoreMeta(AppliedPosition lastApplied, String clusterId, long incarnation, long compactRevision) {

  public static final StoreMeta EMPTY = new StoreMeta(AppliedPosition.NONE, "", 0, 0);

  public boolean hasIdentity() {
    return !clusterId.isEmpty();
  }
}
