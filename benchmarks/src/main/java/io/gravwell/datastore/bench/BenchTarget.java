package io.gravwell.datastore.bench;

import java.util.ArrayList;
import java.util.List;

/** A system the benchmarks can drive: our datastore cluster or etcd. */
interface BenchTarget extends AutoCloseable {

  /** "datastore" or "etcd", stored with every result. */
  String name();

  /** Client number {@code index}, bound to one endpoint (round-robin over the endpoints). */
  BenchClient open(int index) throws Exception;

  /** Client number {@code index} that moves to another endpoint when its own one dies (failover runs). */
  BenchClient openRoaming(int index) throws Exception;

  default List<BenchClient> openAll(int n) throws Exception {
    List<BenchClient> clients = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        clients.add(open(i));
      }
    } catch (Exception e) {
      clients.forEach(BenchClient::close);
      throw e;
    }
    return clients;
  }

  @Override
  void close();
}
