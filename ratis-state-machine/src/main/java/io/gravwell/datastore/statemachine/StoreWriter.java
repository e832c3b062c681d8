package io.gravwell.datastore.statemachine;

import io.gravwell.datastore.protocol.v1.ObjectKey;
import io.gravwell.datastore.protocol.v1.StoredObject;

/** Write access inside one store transaction; the store keeps its indexes in step with every call. */
public interface StoreWriter extends StoreReader {

  /** Stores a live object or tombstone under its key, replacing what was there. */
  void put(StoredObject object);

  /** Physically removes the object or tombstone (compaction); absent keys are ignored. */
  void remove(ObjectKey key);

  void setLastApplied(AppliedPosition position);

  /** Sets the committed identity and clears any pending one. */
  void setIdentity(String clusterId, long incarnation);

  /** Clears the committed identity and leaves {@code pending} for the first leader (restore only). */
  void setPendingIdentity(StoreMeta.PendingIdentity pending);

  void setCompactRevision(long revision);

  void setMemberDirectory(io.gravwell.datastore.statemachine.v1.MemberDirectory directory);
}
