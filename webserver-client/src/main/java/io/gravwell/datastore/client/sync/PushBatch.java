package io.gravwell.datastore.client.sync;

import io.gravwell.datastore.client.store.LocalObject;
import io.gravwell.datastore.protocol.v1.Batch;
import io.gravwell.datastore.protocol.v1.Delete;
import io.gravwell.datastore.protocol.v1.Mutation;
import io.gravwell.datastore.protocol.v1.Put;
import java.util.ArrayList;
import java.util.List;

/**
 * Local objects on their way to the datastore as one non-atomic Batch (one Raft entry): each mutation
 * carries the object's own (updated_ms, origin), so the cluster decides every conflict by
 * last-writer-wins in apply, and one losing mutation does not hold back the others.
 */
final class PushBatch {

  private final int maxMutations;
  private final int maxBytes;
  private final List<LocalObject> objects = new ArrayList<>();
  private final Batch.Builder batch = Batch.newBuilder().setAtomic(false);
  private int bytes;

  PushBatch(int maxMutations, int maxBytes) {
    this.maxMutations = maxMutations;
    this.maxBytes = maxBytes;
  }

  static Mutation mutationOf(LocalObject o) {
    if (o.tombstone()) {
      return Mutation.newBuilder()
          .setDelete(Delete.newBuilder()
              .setKey(o.key())
              .setUpdatedMs(o.object().getUpdatedMs())
              .setOrigin(o.object().getOrigin()))
          .build();
    }
    // Revisions are the datastore's to assign; sending ours would only cost bytes.
    return Mutation.newBuilder()
        .setPut(Put.newBuilder().setObject(o.object().toBuilder().clearCreateRev().clearModRev()))
        .build();
  }

  /** Adds {@code o} unless the batch is full; an empty batch always takes one object, however big. */
  boolean offer(LocalObject o) {
    Mutation m = mutationOf(o);
    int size = m.getSerializedSize() + 8;
    if (!objects.isEmpty() && (objects.size() >= maxMutations || bytes + size > maxBytes)) {
      return false;
    }
    objects.add(o);
    batch.addMutations(m);
    bytes += size;
    return true;
  }

  boolean isEmpty() {
    return objects.isEmpty();
  }

  int size() {
    return objects.size();
  }

  List<LocalObject> objects() {
    return objects;
  }

  Batch batch() {
    return batch.build();
  }

  /** The two halves of this batch, for a node that found it too large for one entry. */
  List<PushBatch> split() {
    int half = objects.size() / 2;
    PushBatch a = new PushBatch(Integer.MAX_VALUE, Integer.MAX_VALUE);
    PushBatch b = new PushBatch(Integer.MAX_VALUE, Integer.MAX_VALUE);
    for (int i = 0; i < objects.size(); i++) {
      (i < half ? a : b).offer(objects.get(i));
    }
    return List.of(a, b);
  }
}
