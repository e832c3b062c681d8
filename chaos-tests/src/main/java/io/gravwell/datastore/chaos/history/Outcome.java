package io.gravwell.datastore.chaos.history;

/** The four kinds of history entry: a call, and the three ways it can end. */
public enum Outcome {
  /** The call was made. */
  INVOKE,
  /** It took effect and answered with the recorded value. */
  OK,
  /** It certainly did not take effect (or, for a CAS with reason "mismatch", took effect as a read). */
  FAIL,
  /** Nobody knows: it may have taken effect at any point after the call, or never. */
  UNKNOWN
}
