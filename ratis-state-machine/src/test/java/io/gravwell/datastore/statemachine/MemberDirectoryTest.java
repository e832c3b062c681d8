package io.gravwell.datastore.statemachine;

import static org.assertj.core.api.Assertions.assertThat;

import io.gravwell.datastore.statemachine.v1.EntryResult;
import io.gravwell.datastore.statemachine.v1.LogEntry;
import io.gravwell.datastore.statemachine.v1.MemberAddress;
import io.gravwell.datastore.statemachine.v1.UpdateMembers;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The replicated member directory: merged by apply, kept across restarts and snapshots. */
class MemberDirectoryTest extends MachineTest {

  private static LogEntry update(Map<String, String> put, String... remove) {
    UpdateMembers.Builder u = UpdateMembers.newBuilder();
    put.forEach((id, address) -> u.addPut(MemberAddress.newBuilder().setId(id).setClientAddress(address)));
    for (String r : remove) {
      u.addRemove(r);
    }
    return LogEntry.newBuilder().setTimestampMs(1).setUpdateMembers(u).build();
  }

  @Test
  void putsReplaceByIdAndRemovesDrop() {
    assertThat(m.sm.memberAddresses()).isEmpty();
    EntryResult r = m.apply(update(Map.of("n4", "10.0.0.4:9405", "n5", "10.0.0.5:9405")));
    assertThat(r.getMembers().getMembersList()).extracting(MemberAddress::getId).containsExactly("n4", "n5");
    m.apply(update(Map.of("n4", "10.0.0.44:9405"), "n5", "never-there"));
    assertThat(m.sm.memberAddresses()).containsExactly(Map.entry("n4", "10.0.0.44:9405"));
    assertThat(m.sm.appliedIndex()).isEqualTo(2);
  }

  @Test
  void survivesARestartAndReplaySkipsIt() {
    m.apply(update(Map.of("n4", "10.0.0.4:9405")));
    m = m.restart();
    assertThat(m.sm.memberAddresses()).containsExactly(Map.entry("n4", "10.0.0.4:9405"));
    // The same entry fed again (replay after restart) is skipped and changes nothing.
    m.setNextIndex(1);
    m.apply(update(Map.of("n4", "elsewhere:1")));
    assertThat(m.sm.memberAddresses()).containsExactly(Map.entry("n4", "10.0.0.4:9405"));
  }

  @Test
  void travelsWithASnapshot(@org.junit.jupiter.api.io.TempDir java.nio.file.Path other) throws Exception {
    m.apply(update(Map.of("n4", "10.0.0.4:9405")));
    m.sm.takeSnapshot();
    SnapshotTest.shipSnapshot(m, new DirRaftStorage(other).smDir());
    try (Machine fresh = Machine.open(other)) {
      assertThat(fresh.sm.memberAddresses()).containsExactly(Map.entry("n4", "10.0.0.4:9405"));
    }
  }
}
