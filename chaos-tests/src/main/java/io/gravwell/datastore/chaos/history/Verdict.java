package io.gravwell.datastore.chaos.history;

/** What a checker concluded. UNKNOWN (the search ran out of budget) is reported and never counts as a pass. */
public enum Verdict {
  VALID, INVALID, UNKNOWN
}
