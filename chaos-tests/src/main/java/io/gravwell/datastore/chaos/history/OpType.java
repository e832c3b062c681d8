package io.gravwell.datastore.chaos.history;

/**
 * What an operation does. The value an {@link Op} carries depends on the type:
 * <ul>
 *   <li>{@code READ}: invoke value ignored; the ok value is the value read ({@code Long}, or null for absent).
 *   <li>{@code WRITE}: the invoke value is the {@code Long} written.
 *   <li>{@code CAS}: the invoke value is {@code long[]{expected, new}}; a {@code fail} with reason
 *       {@link History#CAS_MISMATCH} means the comparison failed (the CAS read a different value).
 *   <li>{@code ADD}: the invoke value is the {@code Long} added to a set.
 *   <li>{@code READ_ALL}: the ok value is the collection of elements read (a set's final read).
 *   <li>{@code CREATE}, {@code UPDATE}, {@code DELETE}: sync workload changes of one object; the key is the
 *       object key and the value its content hash (null for a delete).
 * </ul>
 */
public enum OpType {
  READ, WRITE, CAS, ADD, READ_ALL, CREATE, UPDATE, DELETE;

  /** Whether the linearizability checker's register model covers this type. */
  public boolean isRegisterOp() {
    return this == READ || this == WRITE || this == CAS;
  }
}
