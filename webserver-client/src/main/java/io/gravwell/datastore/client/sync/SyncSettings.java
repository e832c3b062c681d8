package io.gravwell.datastore.client.sync;

import java.time.Duration;
import java.util.Objects;

/**
 * How one webserver syncs.
 *
 * @param domain Webserver-Domain: the objects this webserver keeps and syncs
 * @param origin Webserver-UUID: stamped on every local change; breaks last-writer-wins ties
 * @param updateInterval Datastore-Update-Interval: the poll period (the watch stream makes it faster)
 * @param pageSize how many changes or listed objects to ask for per request
 * @param pushBatchMutations at most this many mutations per pushed Batch (one Raft entry)
 * @param pushBatchBytes a pushed Batch stops growing past this many bytes, well under the node's
 *     Datastore-Max-Entry-Size (1 MiB by default)
 */
public record SyncSettings(
    String domain,
    String origin,
    Duration updateInterval,
    int pageSize,
    int pushBatchMutations,
    int pushBatchBytes) {

  public static final Duration DEFAULT_UPDATE_INTERVAL = Duration.ofSeconds(10);
  public static final int DEFAULT_PAGE_SIZE = 1000;
  public static final int DEFAULT_PUSH_BATCH_MUTATIONS = 256;
  public static final int DEFAULT_PUSH_BATCH_BYTES = 512 * 1024;

  public SyncSettings {
    Objects.requireNonNull(domain, "domain");
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(updateInterval, "updateInterval");
    if (domain.isEmpty() || origin.isEmpty()) {
      throw new IllegalArgumentException("Webserver-Domain and Webserver-UUID must not be empty");
    }
    if (updateInterval.isNegative() || updateInterval.isZero()) {
      throw new IllegalArgumentException("Datastore-Update-Interval must be positive: " + updateInterval);
    }
    if (pageSize < 1 || pushBatchMutations < 1 || pushBatchBytes < 1) {
      throw new IllegalArgumentException("page and batch sizes must be positive");
    }
  }

  public static SyncSettings of(String domain, String origin) {
    return new SyncSettings(domain, origin, DEFAULT_UPDATE_INTERVAL, DEFAULT_PAGE_SIZE,
        DEFAULT_PUSH_BATCH_MUTATIONS, DEFAULT_PUSH_BATCH_BYTES);
  }

  public SyncSettings withUpdateInterval(Duration interval) {
    return new SyncSettings(domain, origin, interval, pageSize, pushBatchMutations, pushBatchBytes);
  }

  public SyncSettings withPageSize(int size) {
    return new SyncSettings(domain, origin, updateInterval, size, pushBatchMutations, pushBatchBytes);
  }

  public SyncSettings withPushBatch(int mutations, int bytes) {
    return new SyncSettings(domain, origin, updateInterval, pageSize, mutations, bytes);
  }
}
