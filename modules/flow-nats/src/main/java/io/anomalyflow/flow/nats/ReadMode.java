package io.anomalyflow.flow.nats;

import io.nats.client.api.ConsumerInfo;
import java.util.Deque;

/**
 * What differs between the two ways a {@link PullReader} reads; the pulls, heartbeats, statuses and
 * reconnects are the reader's and the same for both.
 *
 * <ul>
 *   <li>{@link ReadOnlyMode}: an ephemeral consumer of our own, no acks; every delivery is checked to
 *       be the next one ({@link DeliveryCheck}); a lost consumer is replaced by one that starts right
 *       after the last message accepted, so whatever was held is dropped and delivered again.</li>
 *   <li>{@link WorkQueueMode}: a durable consumer shared with other workers; each accepted delivery is
 *       acked, each one never accepted is NAKed; the server keeps the position, so what is held stays
 *       valid across a loss.</li>
 * </ul>
 *
 * <p>Called only from the subscription's loop thread.
 */
sealed interface ReadMode permits ReadOnlyMode, WorkQueueMode {

    /**
     * Gets ready to open a consumer.
     *
     * @return false when not now: the server is away (try again later) or there is nothing to read
     * @throws JetStreamReadException when retrying cannot help
     */
    boolean readyToOpen();

    /** A consumer was opened; {@code nothingHeld}: no delivery waits for the subscriber. */
    void opened(ConsumerInfo info, boolean nothingHeld);

    /**
     * Judges a delivery of the current consumer.
     *
     * @param lastHeld the stream sequence of the last delivery held, or -1 for none
     */
    DeliveryCheck.Verdict admit(AckReply ack, long lastHeld);

    /**
     * What the consumer has left to deliver to this reader after {@code ack}, for the second-pull rule
     * of {@link PullTracker}; 0 when this reader cannot count on it.
     */
    long backlog(AckReply ack);

    /** The subscriber's {@code onNext} returned for {@code d}. */
    void accepted(Arrival.Delivery d);

    /** {@code d} will never be accepted: {@code onNext} threw, or the subscription ends with it held. */
    void rejected(Arrival.Delivery d);

    /** The consumer, its pulls or the connection were lost; {@code held}: what waits for the subscriber. */
    void lost(Deque<Arrival.Delivery> held);

    /** The server deleted the consumer: the error that ends the read, or {@code null} to replace it. */
    JetStreamReadException consumerDeleted();

    /** {@code endAtLastPresent}: everything present at subscribe time was handed over. */
    boolean ended();
}
