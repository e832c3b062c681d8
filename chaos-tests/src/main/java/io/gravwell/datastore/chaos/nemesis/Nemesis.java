package io.gravwell.datastore.chaos.nemesis;

/**
 * A fault: {@link #start} breaks something, {@link #heal} repairs everything it broke. Both record what
 * they did in the {@link Faults}' timeline. A nemesis is started and healed several times per run; heal
 * is called even when start failed halfway, and must be safe to call twice.
 */
public interface Nemesis {
  String name();

  void start(Faults faults);

  void heal(Faults faults);

  /** Whether the run's data must survive (true for all but deliberate total-loss faults). */
  default boolean keepsData() {
    return true;
  }

  /** Why this nemesis cannot run on this build, or null when it can. */
  default String unsupportedReason(Faults faults) {
    return null;
  }
}
