package io.gravwell.datastore.statemachine;

/** The Raft term and index of the last log entry whose effects a store holds. */
public record AppliedPosition(long term, long index) implements Comparable<AppliedPosition> {

  /** Nothing applied yet (Ratis counts log indexes from 0). */
  public static final AppliedPosition NONE = new AppliedPosition(0, -1);

  @Override
  public int compareTo(AppliedPosition o) {
    int byIndex = Long.compare(index, o.index);
    return byIndex != 0 ? byIndex : Long.compare(term, o.term);
  }

  public static AppliedPosition later(AppliedPosition a, AppliedPosition b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
