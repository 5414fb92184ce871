package io.anomalyflow.flow.nats;

import io.nats.client.impl.Headers;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * One message read from a JetStream stream, as {@link JetStreamPublisher} emits it.
 *
 * <p>{@code data} and {@code headers} are the very objects the NATS client received: they are
 * <b>not copied</b> (one copy per message would cost more than the rest of the read path), so treat them
 * as read-only. {@code headers} is never {@code null}; a message without headers gets an empty,
 * read-only instance. Equality compares {@code data} by content, so two reads of the same stored message
 * are equal.
 *
 * @param sequence  the stream sequence (1, 2, …): the message's identity in the stream, used as the SSE
 *                  {@code id:} and as the resume point after a restart
 * @param timestamp when the server stored the message
 * @param subject   the subject the message was published on
 * @param headers   the message headers (for example {@code Nats-Msg-Id}); never {@code null}
 * @param data      the payload; never {@code null}, possibly empty
 * @param deliveries how many times the consumer has delivered this message, this time included (1 the
 *                  first time; more for a work queue's redelivery)
 * @param ackSubject where this delivery is acknowledged, in a work queue whose subscriber acknowledges
 *                  ({@link JetStreamPublisher.Options#subscriberAcks()}, see {@link Acks}); else {@code null}
 *
 * <p>Equality ignores {@code deliveries} and {@code ackSubject}: a redelivery equals the first delivery.
 */
public record StreamMessage(long sequence, Instant timestamp, String subject, Headers headers, byte[] data,
                            long deliveries, String ackSubject) {
    private static final Headers NO_HEADERS = new Headers(null, true);

    public StreamMessage {
        if (sequence < 1) {
            throw new IllegalArgumentException("sequence must be >= 1: " + sequence);
        }
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(data, "data");
        headers = headers == null ? NO_HEADERS : headers;
        if (deliveries < 1) {
            throw new IllegalArgumentException("deliveries must be >= 1: " + deliveries);
        }
    }

    /** A first delivery that is not the subscriber's to acknowledge. */
    public StreamMessage(long sequence, Instant timestamp, String subject, Headers headers, byte[] data) {
        this(sequence, timestamp, subject, headers, data, 1, null);
    }

    /** A delivery the server made before (its first one was not acknowledged in time, or was NAKed). */
    public boolean redelivered() {
        return deliveries > 1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StreamMessage m
                && sequence == m.sequence
                && timestamp.equals(m.timestamp)
                && subject.equals(m.subject)
                && headers.equals(m.headers)
                && Arrays.equals(data, m.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(sequence, timestamp, subject, headers) * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "StreamMessage[seq=" + sequence + ", " + timestamp + ", " + subject + ", " + data.length + " bytes"
                + (deliveries > 1 ? ", delivery " + deliveries : "") + "]";
    }
}
