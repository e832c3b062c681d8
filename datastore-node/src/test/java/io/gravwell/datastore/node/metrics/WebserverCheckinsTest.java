package io.gravwell.datastore.node.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.gravwell.datastore.protocol.v1.ChangesSince;
import io.gravwell.datastore.protocol.v1.Identity;
import io.gravwell.datastore.protocol.v1.Ping;
import io.gravwell.datastore.protocol.v1.Put;
import io.gravwell.datastore.protocol.v1.Request;
import io.gravwell.datastore.protocol.v1.Response;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Per-webserver check-in time and revision lag, their names, and forgetting webservers after an hour. */
class WebserverCheckinsTest {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
  private final AtomicLong applied = new AtomicLong(15);
  private final WebserverCheckins checkins = new WebserverCheckins(registry, clock);

  WebserverCheckinsTest() {
    checkins.bind(applied::get);
  }

  @Test
  void pingAnswersAndChangesSinceSetTheRevisionAndWritesOnlyTheTime() {
    checkins.answered("w1", ping(), answeredAt(10));
    checkins.refresh();
    MetricsText m = scrape();
    assertThat(m.value("datastore_webserver_revision_lag", "webserver=\"w1\"")).hasValue(5);
    assertThat(m.value("datastore_webserver_last_checkin_timestamp_seconds", "webserver=\"w1\""))
        .hasValue(clock.millis() / 1000.0);

    checkins.answered("w1", changesSince(7), answeredAt(15));
    clock.advance(Duration.ofSeconds(3));
    checkins.answered("w1", put(), answeredAt(16));
    applied.set(16);
    m = scrape();
    assertThat(m.value("datastore_webserver_revision_lag", "webserver=\"w1\"")).hasValue(9);
    assertThat(m.value("datastore_webserver_last_checkin_timestamp_seconds", "webserver=\"w1\""))
        .hasValue(clock.millis() / 1000.0);
  }

  @Test
  void aWriterOnlyHasNoLagSeriesAndAnErrorAnswerKeepsTheOldRevision() {
    checkins.answered("writer", put(), answeredAt(3));
    checkins.answered("w2", ping(), answeredAt(12));
    checkins.answered("w2", ping(), Response.newBuilder().setError(
        io.gravwell.datastore.protocol.v1.Error.getDefaultInstance()).build());
    checkins.refresh();
    MetricsText m = scrape();
    assertThat(m.value("datastore_webserver_last_checkin_timestamp_seconds", "webserver=\"writer\"")).isPresent();
    assertThat(m.value("datastore_webserver_revision_lag", "webserver=\"writer\"")).isEmpty();
    assertThat(m.value("datastore_webserver_revision_lag", "webserver=\"w2\"")).hasValue(3);
  }

  @Test
  void webserversNotSeenForAnHourAreDropped() {
    checkins.answered("old", ping(), answeredAt(1));
    clock.advance(Duration.ofMinutes(59));
    checkins.answered("new", ping(), answeredAt(2));
    checkins.refresh();
    assertThat(scrape().values("datastore_webserver_last_checkin_timestamp_seconds")).hasSize(2);

    clock.advance(Duration.ofMinutes(2));
    checkins.refresh();
    MetricsText m = scrape();
    assertThat(m.value("datastore_webserver_last_checkin_timestamp_seconds", "webserver=\"old\"")).isEmpty();
    assertThat(m.value("datastore_webserver_revision_lag", "webserver=\"old\"")).isEmpty();
    assertThat(m.value("datastore_webserver_last_checkin_timestamp_seconds", "webserver=\"new\"")).isPresent();
  }

  private MetricsText scrape() {
    return new MetricsText(registry.scrape());
  }

  private static Request ping() {
    return Request.newBuilder().setPing(Ping.getDefaultInstance()).build();
  }

  private static Request changesSince(long after) {
    return Request.newBuilder().setChanges(ChangesSince.newBuilder().setAfterRevision(after)).build();
  }

  private static Request put() {
    return Request.newBuilder().setPut(Put.getDefaultInstance()).build();
  }

  private static Response answeredAt(long revision) {
    return Response.newBuilder().setIdentity(Identity.newBuilder().setClusterId("c").setRevision(revision)).build();
  }

  private static final class MutableClock extends Clock {
    private volatile Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
