package io.gravwell.datastore.bench;

/**
 * What one request came back with, the same shape for every target. A reply with a problem is an error (its
 * latency is not recorded); a conflict is a write that went through consensus and lost last-writer-wins.
 */
record Reply(String problem, String detail, boolean conflict, boolean notFound) {

  private static final Reply OK = new Reply(null, null, false, false);
  private static final Reply CONFLICT = new Reply(null, null, true, false);
  private static final Reply NOT_FOUND = new Reply(null, null, false, true);

  static Reply ok() {
    return OK;
  }

  static Reply conflicted() {
    return CONFLICT;
  }

  static Reply absent() {
    return NOT_FOUND;
  }

  static Reply failed(String problem, String detail) {
    return new Reply(problem, detail, false, false);
  }

  boolean succeeded() {
    return problem == null;
  }
}
