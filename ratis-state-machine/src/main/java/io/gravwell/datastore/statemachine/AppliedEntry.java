package io.gravwell.datastore.statemachine;

import io.gravwell.datastore.protocol.v1.StoredObject;
import io.gravwell.datastore.statemachine.v1.EntryResult;
import java.util.List;

/**
 * What applying one log entry produced: the answer for the proposer and, for write entries, the objects
 * it changed (for apply listeners), and the store-wide values after it.
 */
record AppliedEntry(EntryResult result, StoreMeta meta, boolean write, List<StoredObject> changes) {}
