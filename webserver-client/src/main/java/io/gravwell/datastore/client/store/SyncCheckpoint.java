package io.gravwell.datastore.client.store;

import io.gravwell.datastore.protocol.v1.Identity;
import java.util.Objects;

/**
 * What a webserver last synced with: the datastore's identity and the revision up to which every change
 * has been pulled. The identity check compares it with every answer before an absence may count as a
 * deletion.
 */
public record SyncCheckpoint(String clusterId, long incarnation, long revision) {

  public SyncCheckpoint {
    Objects.requireNonNull(clusterId, "clusterId");
    if (clusterId.isEmpty()) {
      throw new IllegalArgumentException("a checkpoint needs a cluster id");
    }
    if (revision < 0) {
      throw new IllegalArgumentException("revision must not be negative: " + revision);
    }
  }

  /** The checkpoint as the identity it was synced with, at its revision. */
  public Identity toIdentity() {
    return Identity.newBuilder().setClusterId(clusterId).setIncarnation(incarnation).setRevision(revision).build();
  }

  public static SyncCheckpoint of(Identity identity, long revision) {
    return new SyncCheckpoint(identity.getClusterId(), identity.getIncarnation(), revision);
  }

  /** Same cluster id and incarnation: revisions of the two are comparable. */
  public boolean sameHistory(Identity identity) {
    return clusterId.equals(identity.getClusterId()) && incarnation == identity.getIncarnation();
  }

  public SyncCheckpoint at(long newRevision) {
    return new SyncCheckpoint(clusterId, incarnation, newRevision);
  }

  @Override
  public String toString() {
    return "cluster " + clusterId + " incarnation " + incarnation + " revision " + revision;
  }
}
