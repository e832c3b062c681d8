package io.gravwell.datastore.chaos.history;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The memo of the linearizability search. A configuration is (operations with a return linearized so far,
 * register value) as a 128-bit Zobrist hash, plus the set of UNKNOWN operations already taken. Two random
 * 64-bit hashes make a false "already seen" about as likely as N²/2^128.
 *
 * <p>UNKNOWN operations are optional, so a configuration that took a subset of the UNKNOWN operations another
 * took (with the same hash) can do everything the other can: once it is explored, the other is skipped. Most
 * configurations took none, which dominates all; those cost one slot of the open-addressing table.
 */
final class VisitedConfigurations {

  /** Slot value: the configuration was seen having taken no UNKNOWN operation. */
  private static final int TOOK_NONE = -1;

  private final int maxEntries;
  private long[] keys = new long[2 * 1024];
  private int[] takenLists = new int[1024];
  private final List<List<long[]>> taken = new ArrayList<>();
  private int slotsUsed;
  private int size;

  VisitedConfigurations(int maxEntries) {
    this.maxEntries = maxEntries;
  }

  /**
   * Records the configuration; false when it, or one that took a subset of its UNKNOWN operations, was seen.
   *
   * @param unknownTaken bit set of the UNKNOWN operations taken; read only, copied when kept
   */
  boolean add(long h1, long h2, long[] unknownTaken) {
    if (h1 == 0 && h2 == 0) {
      h1 = 1; // (0, 0) marks an empty slot
    }
    if (2 * (slotsUsed + 1) > takenLists.length) {
      grow();
    }
    boolean tookNone = isEmpty(unknownTaken);
    int slot = find(keys, h1, h2);
    if (keys[2 * slot] == 0 && keys[2 * slot + 1] == 0) {
      keys[2 * slot] = h1;
      keys[2 * slot + 1] = h2;
      takenLists[slot] = tookNone ? TOOK_NONE : newList(unknownTaken);
      slotsUsed++;
      size++;
      return true;
    }
    if (takenLists[slot] == TOOK_NONE) {
      return false;
    }
    List<long[]> seen = taken.get(takenLists[slot]);
    int count = count(unknownTaken);
    for (long[] s : seen) {
      if (s[s.length - 1] <= count && subset(s, unknownTaken, unknownTaken.length)) {
        return false;
      }
    }
    size -= seen.size();
    seen.removeIf(s -> s[s.length - 1] >= count && subset(unknownTaken, s, unknownTaken.length));
    if (tookNone) {
      takenLists[slot] = TOOK_NONE;
      size++;
    } else {
      seen.add(withCount(unknownTaken));
      size += seen.size();
    }
    return true;
  }

  boolean full() {
    return size >= maxEntries;
  }

  int size() {
    return size;
  }

  private int newList(long[] unknownTaken) {
    List<long[]> list = new ArrayList<>(2);
    list.add(withCount(unknownTaken));
    taken.add(list);
    return taken.size() - 1;
  }

  /** A copy of the bit set with its number of members appended, which rules most subset tests out early. */
  private static long[] withCount(long[] bits) {
    long[] copy = Arrays.copyOf(bits, bits.length + 1);
    copy[bits.length] = count(bits);
    return copy;
  }

  private static int count(long[] bits) {
    int n = 0;
    for (long w : bits) {
      n += Long.bitCount(w);
    }
    return n;
  }

  private static boolean isEmpty(long[] bits) {
    for (long w : bits) {
      if (w != 0) {
        return false;
      }
    }
    return true;
  }

  /** Whether the members of a are members of b, in their first {@code words} words. */
  private static boolean subset(long[] a, long[] b, int words) {
    for (int i = 0; i < words; i++) {
      if ((a[i] & ~b[i]) != 0) {
        return false;
      }
    }
    return true;
  }

  private static int find(long[] table, long h1, long h2) {
    int mask = table.length / 2 - 1;
    int i = (int) (h1 ^ (h1 >>> 32)) & mask;
    while (true) {
      long a = table[2 * i];
      long b = table[2 * i + 1];
      if (a == 0 && b == 0 || a == h1 && b == h2) {
        return i;
      }
      i = (i + 1) & mask;
    }
  }

  private void grow() {
    long[] biggerKeys = new long[keys.length * 2];
    int[] biggerLists = new int[takenLists.length * 2];
    for (int i = 0; i < takenLists.length; i++) {
      if (keys[2 * i] != 0 || keys[2 * i + 1] != 0) {
        int slot = find(biggerKeys, keys[2 * i], keys[2 * i + 1]);
        biggerKeys[2 * slot] = keys[2 * i];
        biggerKeys[2 * slot + 1] = keys[2 * i + 1];
        biggerLists[slot] = takenLists[i];
      }
    }
    keys = biggerKeys;
    takenLists = biggerLists;
  }
}
