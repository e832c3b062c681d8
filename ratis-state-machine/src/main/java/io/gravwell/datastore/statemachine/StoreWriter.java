package io.gravwell.datastore.statemachine;

import io.gravwell.datastore.protocol.v1.ObjectKey;
import io.gravwell.datastore.protocol.v1.StoredObject;
import java.util.Optional;

/** Write access inside one store transaction; the store keeps its indexes in step with every call. */
public interface StoreWriter extends StoreReader {

  /** Stores a live object or tombstone under its key, replacing what was there. */
  void put(StoredObject object);

  /**
   * {@link #put} for a caller that has read, in this transaction and with nothing written to the key since,
   * what the key holds ({@code current}, empty if nothing): the store need not read and parse it again to
   * keep its indexes in step. A wrong {@code current} leaves stale index rows behind.
   */
  void replace(StoredObject object, Optional<StoredObject> current);

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
