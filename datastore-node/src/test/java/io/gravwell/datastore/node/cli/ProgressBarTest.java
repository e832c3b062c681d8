package io.gravwell.datastore.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
  private final StringWriter text = new StringWriter();
  private long now = -TimeUnit.SECONDS.toNanos(5); // nanoTime may be negative; the bar must not care

  private ProgressBar bar(boolean quiet) {
    return new ProgressBar(new PrintWriter(text), quiet, () -> now);
  }

  private ProgressBar started(long total) {
    ProgressBar b = bar(false);
    b.start(total);
    return b;
  }

  @Test
  void drawsPercentBarAndMiB() {
    ProgressBar b = started(4 * 1048576L);
    b.update(1048576L);
    assertThat(text.toString()).isEqualTo("\r[#####               ]  25% 1.0/4.0 MiB");
  }

  @Test
  void redrawsAtMostEvery200MsButAlwaysDrawsTheEnd() {
    ProgressBar b = started(1000);
    b.advanced(100);
    b.advanced(100);
    now += TimeUnit.MILLISECONDS.toNanos(199);
    b.advanced(100);
    assertThat(text.toString()).contains(" 10%").doesNotContain(" 20%").doesNotContain(" 30%");
    now += TimeUnit.MILLISECONDS.toNanos(1);
    b.advanced(100);
    assertThat(text.toString()).contains(" 40%");
    b.advanced(600);
    assertThat(text.toString()).endsWith("\r[####################] 100% 0.0/0.0 MiB");
  }

  @Test
  void neverOverflowsWhenMoreArrivesThanTheTotal() {
    ProgressBar b = started(10);
    b.update(25);
    assertThat(text.toString()).contains("[####################] 100%");
  }

  @Test
  void doneEndsTheLineOnceAndOnlyIfDrawn() {
    ProgressBar b = bar(false);
    b.done();
    assertThat(text.toString()).isEmpty();
    b.start(10);
    b.update(10);
    b.done();
    b.done();
    assertThat(text.toString()).endsWith("100% 0.0/0.0 MiB" + System.lineSeparator())
        .doesNotEndWith(System.lineSeparator() + System.lineSeparator());
  }

  @Test
  void quietPrintsNothing() {
    ProgressBar b = bar(true);
    b.note("phase");
    b.start(10);
    b.advanced(5);
    b.advanced(5);
    b.done();
    assertThat(text.toString()).isEmpty();
  }
}
