package io.gravwell.datastore.statemachine;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A test of one state machine on a fresh store in a temporary directory, closed after each test. */
abstract class MachineTest {
  @TempDir Path dir;
  Machine m;

  @BeforeEach
  void openMachine() {
    m = Machine.open(dir);
  }

  @AfterEach
  void closeMachine() {
    m.close();
  }
}
