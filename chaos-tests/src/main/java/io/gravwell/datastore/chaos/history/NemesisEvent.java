package io.gravwell.datastore.chaos.history;

/**
 * One step of the fault timeline.
 *
 * @param time nanoseconds on the same clock as the {@link History}, so faults and operations interleave
 * @param nemesis the nemesis' name, e.g. {@code "partition-leader"}
 * @param action whether the fault began or was healed, or a step of the run worth seeing next to the faults
 * @param detail what exactly, e.g. which nodes were cut off
 */
public record NemesisEvent(long time, String nemesis, Action action, String detail) {

  public enum Action {
    START, HEAL, INFO
  }

  public static NemesisEvent start(long time, String nemesis, String detail) {
    return new NemesisEvent(time, nemesis, Action.START, detail);
  }

  public static NemesisEvent heal(long time, String nemesis, String detail) {
    return new NemesisEvent(time, nemesis, Action.HEAL, detail);
  }
}
