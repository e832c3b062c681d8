package io.gravwell.datastore.webserver.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gravwell.datastore.client.WebserverSync;
import io.gravwell.datastore.protocol.v1.StoredObject;
import io.gravwell.datastore.webserver.api.StoredJson;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Reads the registry: an entry is live while its last beat (updated_ms) is within three update intervals
 * of now, so one or two lost beats do not drop a webserver from the list.
 */
public final class LiveWebservers {
  static final int MISSED_BEATS_ALLOWED = 3;

  private final WebserverSync sync;
  private final Clock clock;
  private final long horizonMs;

  public LiveWebservers(WebserverSync sync, Clock clock, Duration interval) {
    this.sync = sync;
    this.clock = clock;
    this.horizonMs = interval.multipliedBy(MISSED_BEATS_ALLOWED).toMillis();
  }

  public List<ObjectNode> live() {
    long now = clock.millis();
    return sync.list(Heartbeat.KIND).stream().filter(o -> isLive(o, now)).map(o -> describe(o, now)).toList();
  }

  /** Any known entry, live or not; the answer says which. */
  public Optional<ObjectNode> find(String id) {
    long now = clock.millis();
    return sync.get(Heartbeat.KIND, id).map(o -> describe(o, now));
  }

  private boolean isLive(StoredObject o, long now) {
    return now - o.getUpdatedMs() <= horizonMs;
  }

  private ObjectNode describe(StoredObject o, long now) {
    return StoredJson.of(o).put("updated_ms", o.getUpdatedMs()).put("live", isLive(o, now));
  }
}
