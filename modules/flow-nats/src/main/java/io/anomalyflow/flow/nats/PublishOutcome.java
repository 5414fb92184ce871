package io.anomalyflow.flow.nats;

import java.util.Objects;

/**
 * What became of one item a {@link JetStreamSink} published.
 *
 * @param <T> the item type
 */
public sealed interface PublishOutcome<T> {
    /** The item's position in the upstream sequence, counted from 0. */
    long index();

    T item();

    /** JetStream stored the item (or had already stored one with the same message id). */
    record Acked<T>(long index, T item, PublishAck ack) implements PublishOutcome<T> {
        public Acked {
            Objects.requireNonNull(ack, "ack");
        }
    }

    /**
     * The item was not acknowledged. A {@link NotAcknowledgedException} says whether it may still be
     * stored; any other error comes from turning the item into a message.
     */
    record Failed<T>(long index, T item, Throwable error) implements PublishOutcome<T> {
        public Failed {
            Objects.requireNonNull(error, "error");
        }
    }
}
