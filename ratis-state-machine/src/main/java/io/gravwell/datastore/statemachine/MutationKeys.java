package io.gravwell.datastore.statemachine;

import io.gravwell.datastore.protocol.v1.Mutation;
import io.gravwell.datastore.protocol.v1.ObjectKey;
import java.util.Optional;

final class MutationKeys {

  private MutationKeys() {}

  /** The key a mutation targets, if it names one. */
  static Optional<ObjectKey> of(Mutation m) {
    return switch (m.getOpCase()) {
      case PUT -> m.getPut().hasObject() && m.getPut().getObject().hasKey()
          ? Optional.of(m.getPut().getObject().getKey()) : Optional.empty();
      case DELETE -> m.getDelete().hasKey() ? Optional.of(m.getDelete().getKey()) : Optional.empty();
      case CAS -> switch (m.getCas().getActionCase()) {
        case PUT -> m.getCas().getPut().hasKey() ? Optional.of(m.getCas().getPut().getKey()) : Optional.empty();
        case DELETE -> Optional.of(m.getCas().getDelete());
        case ACTION_NOT_SET -> Optional.empty();
      };
      case OP_NOT_SET -> Optional.empty();
    };
  }
}
