package io.gravwell.datastore.chaos.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The partition rules against the real DOCKER-USER chain, on TEST-NET addresses that no container uses:
 * rules are added with our comment, healed exactly, and leftovers found by the comment alone.
 */
class FirewallTest {
  private static final String A = "192.0.2.201";
  private static final String B = "192.0.2.202";

  @Test
  void cutsBothWaysAndHealsExactlyWhatItAdded() {
    Assumptions.assumeTrue(Host.run("iptables", "-L", "DOCKER-USER", "-n").ok(),
        "no DOCKER-USER chain here (run scripts/docker-setup.sh as root)");
    Firewall firewall = new Firewall();
    try {
      firewall.cut(List.of(A), List.of(B));
      firewall.lose(B, A, 0.25);
      String rules = Host.check("iptables", "-S", "DOCKER-USER");
      assertThat(rules).contains("-s " + A + "/32 -d " + B + "/32 -m comment --comment gravwell-chaos -j DROP")
          .contains("-s " + B + "/32 -d " + A + "/32 -m comment --comment gravwell-chaos -j DROP")
          .contains("--probability 0.25");
      assertThat(firewall.size()).isEqualTo(3);

      firewall.healAll();
      assertThat(Host.check("iptables", "-S", "DOCKER-USER")).doesNotContain(A).doesNotContain(B);
    } finally {
      firewall.healAll();
    }
  }

  @Test
  void removesLeftoversOfACrashedRunByTheirComment() {
    Assumptions.assumeTrue(Host.run("iptables", "-L", "DOCKER-USER", "-n").ok(),
        "no DOCKER-USER chain here (run scripts/docker-setup.sh as root)");
    new Firewall().drop(A, B); // never healed: as if the JVM had died
    assertThat(Host.check("iptables", "-S", "DOCKER-USER")).contains(A);

    Firewall.removeAllOurRules();

    assertThat(Host.check("iptables", "-S", "DOCKER-USER")).doesNotContain(A).doesNotContain("gravwell-chaos");
  }
}
