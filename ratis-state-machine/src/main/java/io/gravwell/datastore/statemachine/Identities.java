package io.gravwell.datastore.statemachine;

import io.gravwell.datastore.protocol.v1.Identity;

final class Identities {

  private Identities() {}

  static Identity of(StoreMeta meta, long revision) {
    return Identity.newBuilder()
        .setClusterId(meta.clusterId())
        .setIncarnation(meta.incarnation())
        .setRevision(revision)
        .setCompactRevision(meta.compactRevision())
        .build();
  }
}
