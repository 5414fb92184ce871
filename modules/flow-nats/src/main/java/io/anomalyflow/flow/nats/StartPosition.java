package io.anomalyflow.flow.nats;

import java.time.Instant;
import java.util.Objects;

/**
 * Where a {@link JetStreamPublisher} subscription starts reading. It only applies to the first
 * consumer of a subscription: after a reconnect or restart the subscription resumes right after the last
 * message it delivered, whatever its start position was.
 */
public sealed interface StartPosition {

    /** From the first message still in the stream. */
    static StartPosition all() {
        return All.INSTANCE;
    }

    /** Only messages stored after the subscription's consumer was created. */
    static StartPosition newOnly() {
        return NewOnly.INSTANCE;
    }

    /** From stream sequence {@code sequence} (≥ 1), or the first one after it still in the stream. */
    static StartPosition fromSequence(long sequence) {
        return new FromSequence(sequence);
    }

    /** From the first message stored at or after {@code time} (the client uses now − TTL). */
    static StartPosition fromTime(Instant time) {
        return new FromTime(time);
    }

    /** @see StartPosition#all() */
    enum All implements StartPosition { INSTANCE }

    /** @see StartPosition#newOnly() */
    enum NewOnly implements StartPosition { INSTANCE }

    /** @see StartPosition#fromSequence(long) */
    record FromSequence(long sequence) implements StartPosition {
        public FromSequence {
            if (sequence < 1) {
                throw new IllegalArgumentException("a stream sequence starts at 1: " + sequence);
            }
        }
    }

    /** @see StartPosition#fromTime(Instant) */
    record FromTime(Instant time) implements StartPosition {
        public FromTime {
            Objects.requireNonNull(time, "time");
        }
    }
}
