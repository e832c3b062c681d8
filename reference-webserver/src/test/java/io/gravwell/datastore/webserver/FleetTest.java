package io.gravwell.datastore.webserver;

import io.gravwell.datastore.node.cluster.LocalCluster;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** A test with a real cluster and a fleet of reference webservers, both stopped after each test. */
abstract class FleetTest {
  @TempDir
  Path dir;

  LocalCluster cluster;
  Fleet fleet;

  @AfterEach
  void stopFleetAndCluster() {
    if (fleet != null) {
      fleet.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }
}
