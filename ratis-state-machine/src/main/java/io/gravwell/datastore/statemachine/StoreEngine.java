package io.gravwell.datastore.statemachine;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Opens and restores {@link ObjectStore}s of one storage engine. The state machine only talks to this
 * interface, so the engine (Xodus today; upstream has announced its sunset) can be replaced.
 */
public interface StoreEngine {

  /** Opens (creating if needed) the store kept in {@code dir}. The store owns the directory exclusively. */
  ObjectStore open(Path dir) throws IOException;

  /**
   * Replaces whatever is in {@code dir} with the content of a file written by {@link ObjectStore#backupTo}.
   * The store in {@code dir} must be closed.
   */
  void restore(Path backupFile, Path dir) throws IOException;
}
