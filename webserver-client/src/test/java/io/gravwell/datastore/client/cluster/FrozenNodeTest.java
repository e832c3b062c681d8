package io.gravwell.datastore.client.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.gravwell.datastore.protocol.v1.Response;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One member stops answering while its connection stays open (a stopped process, a long pause). Requests
 * must move to another member within the request timeout: a webserver whose request fails goes into
 * degraded mode (deletes and user administration refused) although a majority of the cluster is healthy.
 * Before each attempt got only half the timeout, a frozen member held a request until the deadline.
 */
class FrozenNodeTest {
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(4);

  FakeNode a;
  FakeNode b;
  ClusterClient client;

  @BeforeEach
  void setUp() throws InterruptedException {
    a = new FakeNode("a");
    b = new FakeNode("b");
    client = new ClusterClient(new ClusterClientSettings(List.of(a.endpoint(), b.endpoint()), null, "secret",
        "ws-test", Duration.ofSeconds(1), REQUEST_TIMEOUT), new SplittableRandom(1));
  }

  @AfterEach
  void tearDown() {
    client.close();
    a.close();
    b.close();
  }

  @Test
  void aRequestLeavesAFrozenMemberAndSucceedsOnAnotherWithinTheTimeout() {
    assertThat(client.ping(null).getIdentity()).isEqualTo(FakeNode.IDENTITY);
    FakeNode serving = a.pings.get() == 1 ? a : b;
    FakeNode other = serving == a ? b : a;
    serving.freeze();

    long start = System.nanoTime();
    Response r = client.ping(null);
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(r.hasError()).isFalse();
    assertThat(r.getIdentity()).isEqualTo(FakeNode.IDENTITY);
    assertThat(other.pings.get()).isEqualTo(1);
    // Half the request timeout on the frozen member, then the other member at once.
    assertThat(took).isGreaterThanOrEqualTo(REQUEST_TIMEOUT.dividedBy(2)).isLessThan(REQUEST_TIMEOUT);
    assertThat(client.failovers()).isEqualTo(1);

    // The frozen member is left behind: the next request does not wait for it again.
    long again = System.nanoTime();
    assertThat(client.ping(null).hasError()).isFalse();
    assertThat(Duration.ofNanos(System.nanoTime() - again)).isLessThan(REQUEST_TIMEOUT.dividedBy(2));
    assertThat(other.pings.get()).isEqualTo(2);
  }
}
