package io.gravwell.datastore.chaos.nemesis;

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

  public void record(String nemesis, NemesisEvent.Phase phase, String detail) {
    NemesisEvent e = new NemesisEvent(nanoClock.getAsLong(), System.currentTimeMillis(), nemesis, phase, detail);
    events.add(e);
    LOG.info("nemesis {} {}: {}", nemesis, phase, detail);
  }

  public List<NemesisEvent> events() {
    return List.copyOf(events);
  }
}
