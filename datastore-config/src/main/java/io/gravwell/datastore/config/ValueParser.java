package io.gravwell.datastore.config;

import java.util.Objects;
import java.util.function.Predicate;

/**
 * Turns the text of one config value into a typed value.
 *
 * <p>Contract: on bad input throw {@link IllegalArgumentException} whose message explains the
 * problem <em>without repeating the input</em>; the reader decides whether the value may be shown
 * (it never is for secret keys).
 */
@FunctionalInterface
public interface ValueParser<T> {

    T parse(String text);

    /** Adds a check on the parsed value; {@code reason} is the message when it fails. */
    default ValueParser<T> where(Predicate<? super T> check, String reason) {
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(reason, "reason");
        return text -> {
            T value = parse(text);
            if (!check.test(value)) {
                throw new IllegalArgumentException(reason);
            }
            return value;
        };
    }
}
