package io.gravwell.datastore.statemachine;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Tunables of {@link DatastoreStateMachine}. The clock and the random generator are only used to build
 * proposals (identity, compaction) outside apply: apply itself reads nothing but the log entry.
 */
public record StateMachineSettings(
    Duration tombstoneRetention,
    Clock clock,
    RandomGenerator random,
    int defaultPageSize,
    int maxPageSize,
    StoreEngine storeEngine,
    Duration commitDelay) {

  public static final Duration DEFAULT_TOMBSTONE_RETENTION = Duration.ofDays(7);
  public static final int DEFAULT_PAGE_SIZE = 1000;
  public static final int DEFAULT_MAX_PAGE_SIZE = 10_000;
  /**
   * How long applied writes may wait in an open store transaction for more writes to share its commit
   * ({@link CommitWindow}). Writes are answered before it; readers that wait for them, snapshots and
   * pauses commit at once, so it only delays change notifications and reads that wait for nothing.
   */
  public static final Duration DEFAULT_COMMIT_DELAY = Duration.ofMillis(20);

  public StateMachineSettings {
    Objects.requireNonNull(tombstoneRetention, "tombstoneRetention");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(random, "random");
    Objects.requireNonNull(storeEngine, "storeEngine");
    Objects.requireNonNull(commitDelay, "commitDelay");
    if (commitDelay.isNegative() || commitDelay.compareTo(Duration.ofSeconds(1)) > 0) {
      throw new IllegalArgumentException("commitDelay must be between 0 and 1 s, got " + commitDelay);
    }
    if (tombstoneRetention.isNegative()) {
      throw new IllegalArgumentException("tombstoneRetention must not be negative: " + tombstoneRetention);
    }
    if (defaultPageSize < 1 || maxPageSize < defaultPageSize) {
      throw new IllegalArgumentException(
          "need 1 <= defaultPageSize <= maxPageSize, got " + defaultPageSize + " and " + maxPageSize);
    }
  }

  public static StateMachineSettings defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder()
        .tombstoneRetention(tombstoneRetention)
        .clock(clock)
        .random(random)
        .defaultPageSize(defaultPageSize)
        .maxPageSize(maxPageSize)
        .storeEngine(storeEngine)
        .commitDelay(commitDelay);
  }

  /** Clamps a requested page size: 0 means the default. */
  int pageSize(int requested) {
    if (requested <= 0) {
      return defaultPageSize;
    }
    return Math.min(requested, maxPageSize);
  }

  public static final class Builder {
    private Duration tombstoneRetention = DEFAULT_TOMBSTONE_RETENTION;
    private Clock clock = Clock.systemUTC();
    private RandomGenerator random = new java.security.SecureRandom();
    private int defaultPageSize = DEFAULT_PAGE_SIZE;
    private int maxPageSize = DEFAULT_MAX_PAGE_SIZE;
    private StoreEngine storeEngine = XodusObjectStore.ENGINE;
    private Duration commitDelay = DEFAULT_COMMIT_DELAY;

    public Builder tombstoneRetention(Duration v) {
      tombstoneRetention = v;
      return this;
    }

    public Builder clock(Clock v) {
      clock = v;
      return this;
    }

    public Builder random(RandomGenerator v) {
      random = v;
      return this;
    }

    public Builder defaultPageSize(int v) {
      defaultPageSize = v;
      return this;
    }

    public Builder maxPageSize(int v) {
      maxPageSize = v;
      return this;
    }

    public Builder storeEngine(StoreEngine v) {
      storeEngine = v;
      return this;
    }

    /** 0: every batch of entries commits before the next is taken, as before commit windows existed. */
    public Builder commitDelay(Duration v) {
      commitDelay = v;
      return this;
    }

    public StateMachineSettings build() {
      return new StateMachineSettings(
          tombstoneRetention, clock, random, defaultPageSize, maxPageSize, storeEngine, commitDelay);
    }
  }
}
