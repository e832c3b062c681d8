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
 * @param tombstoneRetention how long a delete is remembered after the datastore acknowledged it, so a
 *     re-seed pushes it again and a datastore that lost its disks does not get the object back from
 *     webservers that had not pulled the delete yet; zero forgets it at once. The default matches the
 *     nodes' Datastore-Tombstone-Retention.
 */
public record SyncSettings(
    String domain,
    String origin,
    Duration updateInterval,
    int pageSize,
    int pushBatchMutations,
    int pushBatchBytes,
    Duration tombstoneRetention) {

  public static final Duration DEFAULT_UPDATE_INTERVAL = Duration.ofSeconds(10);
  public static final int DEFAULT_PAGE_SIZE = 1000;
  public static final int DEFAULT_PUSH_BATCH_MUTATIONS = 256;
  public static final int DEFAULT_PUSH_BATCH_BYTES = 512 * 1024;
  public static final Duration DEFAULT_TOMBSTONE_RETENTION = Duration.ofDays(7);

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
    Objects.requireNonNull(tombstoneRetention, "tombstoneRetention");
    if (tombstoneRetention.isNegative()) {
      throw new IllegalArgumentException("Datastore-Tombstone-Retention must not be negative: " + tombstoneRetention);
    }
    if (pageSize < 1 || pushBatchMutations < 1 || pushBatchBytes < 1) {
      throw new IllegalArgumentException("page and batch sizes must be positive");
    }
  }

  public static SyncSettings of(String domain, String origin) {
    return new SyncSettings(domain, origin, DEFAULT_UPDATE_INTERVAL, DEFAULT_PAGE_SIZE,
        DEFAULT_PUSH_BATCH_MUTATIONS, DEFAULT_PUSH_BATCH_BYTES, DEFAULT_TOMBSTONE_RETENTION);
  }

  public SyncSettings withUpdateInterval(Duration interval) {
    return new SyncSettings(domain, origin, interval, pageSize, pushBatchMutations, pushBatchBytes,
        tombstoneRetention);
  }

  public SyncSettings withPageSize(int size) {
    return new SyncSettings(domain, origin, updateInterval, size, pushBatchMutations, pushBatchBytes,
        tombstoneRetention);
  }

  public SyncSettings withPushBatch(int mutations, int bytes) {
    return new SyncSettings(domain, origin, updateInterval, pageSize, mutations, bytes, tombstoneRetention);
  }

  public SyncSettings withTombstoneRetention(Duration retention) {
    return new SyncSettings(domain, origin, updateInterval, pageSize, pushBatchMutations, pushBatchBytes,
        retention);
  }
}
