package io.gravwell.datastore.chaos.history;

/**
 * The memo of the linearizability search: configurations (set of linearized operations, register state)
 * already explored, each as a 128-bit Zobrist hash in an open-addressing table. Two random 64-bit hashes make
 * a false "already seen" (which could hide a valid linearization) about as likely as N²/2^128.
 */
final class VisitedConfigurations {

  private final int maxEntries;
  private long[] slots = new long[2 * 1024];
  private int size;

  VisitedConfigurations(int maxEntries) {
    this.maxEntries = maxEntries;
  }

  /** Adds the configuration; false when it was already there. */
  boolean add(long h1, long h2) {
    if (h1 == 0 && h2 == 0) {
      h1 = 1; // (0, 0) marks an empty slot
    }
    if (2 * (size + 1) > slots.length / 2) {
      grow();
    }
    if (insert(slots, h1, h2)) {
      size++;
      return true;
    }
    return false;
  }

  boolean full() {
    return size >= maxEntries;
  }

  int size() {
    return size;
  }

  private static boolean insert(long[] table, long h1, long h2) {
    int mask = table.length / 2 - 1;
    int i = (int) (h1 ^ (h1 >>> 32)) & mask;
    while (true) {
      long a = table[2 * i];
      long b = table[2 * i + 1];
      if (a == 0 && b == 0) {
        table[2 * i] = h1;
        table[2 * i + 1] = h2;
        return true;
      }
      if (a == h1 && b == h2) {
        return false;
      }
      i = (i + 1) & mask;
    }
  }

  private void grow() {
    long[] bigger = new long[slots.length * 2];
    for (int i = 0; i < slots.length; i += 2) {
      if (slots[i] != 0 || slots[i + 1] != 0) {
        insert(bigger, slots[i], slots[i + 1]);
      }
    }
    slots = bigger;
  }
}
