package io.gravwell.datastore.chaos.history;

/**
 * An invoke paired with its completion ({@code null} when the run ended first, which counts as UNKNOWN).
 * An operation whose outcome is UNKNOWN may have taken effect at any point after its invoke, or never: its
 * completion is at +infinity for the checkers.
 */
public record CompletedOp(Op invoke, Op completion) {

  public int process() {
    return invoke.process();
  }

  public OpType type() {
    return invoke.type();
  }

  public String key() {
    return invoke.key();
  }

  public Outcome outcome() {
    return completion == null ? Outcome.UNKNOWN : completion.outcome();
  }

  /** The argument: the value written, {@code long[]{expected, new}} for a CAS, the element added. */
  public Object argument() {
    return invoke.value();
  }

  /** The answer of an OK operation (the value read), else null. */
  public Object answer() {
    return outcome() == Outcome.OK ? completion.value() : null;
  }

  public String error() {
    return completion == null ? "no completion recorded" : completion.error();
  }

  /** Whether a FAIL means the CAS compared and found another value (so it acted as a read). */
  public boolean casMismatch() {
    return type() == OpType.CAS && outcome() == Outcome.FAIL && History.CAS_MISMATCH.equals(error());
  }

  public long invokeIndex() {
    return invoke.index();
  }

  /** Index of the completion; {@code Long.MAX_VALUE} for an UNKNOWN operation. */
  public long completeIndex() {
    return outcome() == Outcome.UNKNOWN ? Long.MAX_VALUE : completion.index();
  }

  public long invokeTime() {
    return invoke.time();
  }

  /** Time of the completion; {@code Long.MAX_VALUE} for an UNKNOWN operation. */
  public long completeTime() {
    return outcome() == Outcome.UNKNOWN ? Long.MAX_VALUE : completion.time();
  }

  public String describe() {
    StringBuilder b = new StringBuilder().append("p").append(process()).append(' ').append(type()).append(' ')
        .append(key());
    if (argument() != null) {
      b.append(' ').append(Op.render(argument()));
    }
    b.append(" -> ").append(outcome().name().toLowerCase());
    if (outcome() == Outcome.OK && type() == OpType.READ) {
      b.append(' ').append(Op.render(answer()));
    }
    if (outcome() != Outcome.OK && error() != null) {
      b.append(" (").append(Op.oneLine(error())).append(')');
    }
    return b.append(" [#").append(invokeIndex()).append(completion == null ? "" : ", #" + completion.index())
        .append(']').toString();
  }
}
