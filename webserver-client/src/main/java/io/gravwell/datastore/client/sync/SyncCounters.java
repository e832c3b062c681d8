package io.gravwell.datastore.client.sync;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/** Counters the app can read (and later export as metrics). Monotonic for the life of the agent. */
public final class SyncCounters {

  final AtomicLong cycles = new AtomicLong();
  final AtomicLong idleCycles = new AtomicLong();
  final AtomicLong failedCycles = new AtomicLong();
  final AtomicLong reseeds = new AtomicLong();
  final AtomicLong conflictsLost = new AtomicLong();
  final AtomicLong pushed = new AtomicLong();
  final AtomicLong pulled = new AtomicLong();
  final AtomicLong deletedByDatastore = new AtomicLong();
  final AtomicLong fullListings = new AtomicLong();
  final AtomicLong deletesForgotten = new AtomicLong();
  private final AtomicLongArray outcomes = new AtomicLongArray(SyncOutcome.values().length);

  void countOutcome(SyncOutcome outcome) {
    outcomes.incrementAndGet(outcome.ordinal());
  }

  /** Cycles that ended with {@code outcome}; they add up to {@link #cycles()} (one may be running). */
  public long outcomes(SyncOutcome outcome) {
    return outcomes.get(outcome.ordinal());
  }

  public long cycles() {
    return cycles.get();
  }

  /** Cycles that sent nothing but a ping. */
  public long idleCycles() {
    return idleCycles.get();
  }

  /** Cycles that ended early (datastore unreachable, an error, an identity that shifted mid-cycle). */
  public long failedCycles() {
    return failedCycles.get();
  }

  public long reseeds() {
    return reseeds.get();
  }

  /** Local changes that lost to a later write elsewhere. */
  public long conflictsLost() {
    return conflictsLost.get();
  }

  /** Mutations acknowledged by the datastore (applied or answered with the winner). */
  public long pushed() {
    return pushed.get();
  }

  /** Remote versions adopted locally. */
  public long pulled() {
    return pulled.get();
  }

  /** Local objects removed on the datastore's evidence (a tombstone or a trusted full listing). */
  public long deletedByDatastore() {
    return deletedByDatastore.get();
  }

  /** Full listings done because the checkpoint was older than the datastore's compaction point. */
  public long fullListings() {
    return fullListings.get();
  }

  /** Remembered deletes dropped once older than the tombstone retention. */
  public long deletesForgotten() {
    return deletesForgotten.get();
  }

  @Override
  public String toString() {
    return "SyncCounters[cycles=" + cycles + ", idle=" + idleCycles + ", failed=" + failedCycles
        + ", reseeds=" + reseeds + ", conflictsLost=" + conflictsLost + ", pushed=" + pushed
        + ", pulled=" + pulled + ", deletedByDatastore=" + deletedByDatastore + ", fullListings=" + fullListings
        + ", deletesForgotten=" + deletesForgotten + "]";
  }
}
