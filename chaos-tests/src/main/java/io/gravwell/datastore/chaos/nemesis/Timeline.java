package io.gravwell.datastore.chaos.nemesis;

import io.gravwell.datastore.chaos.history.NemesisEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The run's fault timeline, on the same clock as the operation history. */
public final class Timeline {
  private static final Logger LOG = LoggerFactory.getLogger(Timeline.class);
  private final LongSupplier nanoClock;
  private final List<NemesisEvent> events = new CopyOnWriteArrayList<>();

  public Timeline(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
  }

  public void record(String nemesis, NemesisEvent.Action action, String detail) {
    events.add(new NemesisEvent(nanoClock.getAsLong(), nemesis, action, detail));
    // the log line carries the wall-clock time, to line the event up with the container logs
    LOG.info("nemesis {} {}: {}", nemesis, action, detail);
  }

  public List<NemesisEvent> events() {
    return List.copyOf(events);
  }
}
