package io.gravwell.datastore.node.metrics;

import io.gravwell.datastore.node.net.ClientActivityListener;
import io.gravwell.datastore.protocol.v1.Request;
import io.gravwell.datastore.protocol.v1.Response;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-webserver check-ins at this node: when each client (by its Hello id, the Webserver-UUID) was last
 * answered, and how far this node's applied index has moved past the revision it last asked about.
 *
 * <p>The revision a webserver "asks about" is what its sync cycle says it holds: {@code ChangesSince}'s
 * {@code after_revision} (its checkpoint), or for a {@code Ping} the revision answered (an idle webserver
 * is at that revision by definition; a busy one pulls up to it in the same cycle). Writes count as a
 * check-in but say nothing about what the writer holds.
 *
 * <p>A webserver talks to one node for reads (picked at random), so each node only sees part of the fleet:
 * dashboards take {@code max by (webserver)} across nodes. Cardinality stays bounded: a webserver not seen
 * for {@link #FORGET_AFTER} is dropped, and at most {@link #MAX_TRACKED} are tracked at once.
 */
final class WebserverCheckins implements ClientActivityListener {
  private static final Logger LOG = LoggerFactory.getLogger(WebserverCheckins.class);
  static final Duration FORGET_AFTER = Duration.ofHours(1);
  /** Far above any real fleet; only a misbehaving client inventing ids could get here. */
  static final int MAX_TRACKED = 10_000;

  /** One webserver's latest check-in; replaced whole, so a scrape never sees a half-updated pair. */
  private record Checkin(long atMillis, long revision) {}

  private final Clock clock;
  private final Map<String, Checkin> checkins = new ConcurrentHashMap<>();
  private final MultiGauge lastCheckin;
  private final MultiGauge revisionLag;
  private volatile LongSupplier appliedIndex = () -> -1;
  private volatile boolean warnedFull;

  WebserverCheckins(MeterRegistry registry, Clock clock) {
    this.clock = clock;
    this.lastCheckin = MultiGauge.builder("datastore.webserver.last_checkin_timestamp")
        .baseUnit("seconds")
        .description("When this node last answered a request from the webserver (Unix time)")
        .register(registry);
    this.revisionLag = MultiGauge.builder("datastore.webserver.revision_lag")
        .description("This node's applied index minus the revision the webserver last asked about"
            + " (ChangesSince after_revision, or the revision a Ping answered)")
        .register(registry);
  }

  /** The applied index to measure lag against; known only once the state machine exists. */
  void bind(LongSupplier appliedIndex) {
    this.appliedIndex = appliedIndex;
  }

  @Override
  public void answered(String clientId, Request request, Response response) {
    long revision = response.hasError() ? -1 : askedAbout(request, response);
    Checkin old = checkins.get(clientId);
    if (old == null && checkins.size() >= MAX_TRACKED) {
      if (!warnedFull) {
        warnedFull = true;
        LOG.warn("tracking {} webservers already; check-ins of new ones are not exported", MAX_TRACKED);
      }
      return;
    }
    long keep = revision >= 0 ? revision : old == null ? -1 : old.revision();
    checkins.put(clientId, new Checkin(clock.millis(), keep));
  }

  private static long askedAbout(Request request, Response response) {
    return switch (request.getBodyCase()) {
      case CHANGES -> request.getChanges().getAfterRevision();
      case PING -> response.getIdentity().getRevision();
      default -> -1;
    };
  }

  /** Drops webservers not seen for an hour and publishes the current set; call periodically. */
  void refresh() {
    long cutoff = clock.millis() - FORGET_AFTER.toMillis();
    checkins.entrySet().removeIf(e -> e.getValue().atMillis() < cutoff);
    if (checkins.size() < MAX_TRACKED) {
      warnedFull = false;
    }
    List<MultiGauge.Row<?>> times = new ArrayList<>();
    List<MultiGauge.Row<?>> lags = new ArrayList<>();
    checkins.forEach((id, checkin) -> {
      Tags tags = Tags.of("webserver", id);
      // Values are read at scrape time, so they are as fresh as the last answer, not the last refresh.
      times.add(MultiGauge.Row.of(tags, () -> seen(id, c -> c.atMillis() / 1000.0)));
      if (checkin.revision() >= 0) {
        lags.add(MultiGauge.Row.of(tags, () -> seen(id, this::lag)));
      }
    });
    // false: rows already there keep their value functions (which look the id up afresh); only the set
    // of rows changes, without removing and re-adding meters under a concurrent scrape.
    lastCheckin.register(times, false);
    revisionLag.register(lags, false);
  }

  private double lag(Checkin c) {
    long applied = appliedIndex.getAsLong();
    // Never negative: a webserver of another history may ask about revisions this node never had.
    return applied < 0 ? Double.NaN : Math.max(0, applied - c.revision());
  }

  private Number seen(String id, ToDoubleFunction<Checkin> f) {
    Checkin c = checkins.get(id);
    return c == null ? Double.NaN : f.applyAsDouble(c);
  }
}
