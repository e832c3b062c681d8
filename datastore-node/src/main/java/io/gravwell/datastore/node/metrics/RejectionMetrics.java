package io.gravwell.datastore.node.metrics;

import io.gravwell.datastore.protocol.v1.ErrorCode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The client port's rejection hook: refused frames (too large, unparsable) and failed authentication, by
 * error code. Auth failures get their own counter too, because they are what an operator alerts on (a
 * webserver with a stale secret, or someone probing the port).
 */
final class RejectionMetrics implements Consumer<ErrorCode> {
  private final MeterRegistry registry;
  private final Counter authFailures;

  RejectionMetrics(MeterRegistry registry) {
    this.registry = registry;
    authFailures = Counter.builder("datastore.client.auth.failures")
        .description("Hello handshakes refused for a wrong Control-Auth secret").register(registry);
    // The codes the hook reports, registered at 0 so that rate() works from the first scrape.
    for (ErrorCode c : new ErrorCode[] {ErrorCode.MALFORMED_FRAME, ErrorCode.FRAME_TOO_LARGE,
        ErrorCode.AUTH_FAILED, ErrorCode.NOT_AUTHENTICATED}) {
      counter(c);
    }
  }

  @Override
  public void accept(ErrorCode code) {
    if (code == ErrorCode.AUTH_FAILED) {
      authFailures.increment();
    }
    counter(code).increment();
  }

  private Counter counter(ErrorCode code) {
    return Counter.builder("datastore.client.rejections")
        .description("Frames or requests the client port refused before the service saw them, by error code")
        .tag("code", code.name().toLowerCase(Locale.ROOT))
        .register(registry);
  }
}
