package io.gravwell.datastore.chaos.nemesis;

/** One entry of a run's fault timeline: when a nemesis started or healed, and what exactly it did. */
public record NemesisEvent(long timeNanos, long wallMillis, String nemesis, Phase phase, String detail) {
  public enum Phase { START, HEAL, INFO }
}
