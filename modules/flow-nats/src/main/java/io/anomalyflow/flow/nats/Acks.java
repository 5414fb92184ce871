package io.anomalyflow.flow.nats;

import io.nats.client.Connection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * Acknowledges the deliveries of a work queue whose subscriber acks them itself
 * ({@link JetStreamPublisher.Options#subscriberAcks()}): each {@link StreamMessage} it receives carries
 * the subject its answer goes to.
 *
 * <p>Every answer is one core NATS publish, fire and forget: it returns at once and may be called from
 * any thread. An answer lost on the way (a disconnect) costs a redelivery after the consumer's ack wait,
 * never a lost message, so a subscriber must tolerate seeing a message again (the detector's anomalies
 * are de-duplicated by their message id). A subscriber answers each delivery once:
 * <ul>
 *   <li>{@link #ack}: done; the server never delivers it again;</li>
 *   <li>{@link #nak}: not done; deliver it again after {@code delay} (to any worker);</li>
 *   <li>{@link #term}: never deliver it again, although it was not done (a poison message).</li>
 * </ul>
 */
public final class Acks {
    private static final byte[] ACK = bytes("+ACK");
    private static final byte[] NAK = bytes("-NAK");
    private static final byte[] TERM = bytes("+TERM");

    private final Connection nc;

    private Acks(Connection nc) {
        this.nc = Objects.requireNonNull(nc, "nc");
    }

    /** Answers through {@code nc}, the connection the messages were read on (or one to the same server). */
    public static Acks on(Connection nc) {
        return new Acks(nc);
    }

    /** @return false when the answer could not be sent (disconnected): the message will come again */
    public boolean ack(StreamMessage message) {
        return send(message, ACK);
    }

    /** Asks for the message again at once, or after {@code delay} when it is positive. */
    public boolean nak(StreamMessage message, Duration delay) {
        if (delay == null || delay.isZero() || delay.isNegative()) {
            return send(message, NAK);
        }
        return send(message, bytes("-NAK {\"delay\":" + delay.toNanos() + "}"));
    }

    /** @return false when the answer could not be sent (disconnected): the message will come again */
    public boolean term(StreamMessage message) {
        return send(message, TERM);
    }

    private boolean send(StreamMessage message, byte[] answer) {
        var subject = message.ackSubject();
        if (subject == null) {
            throw new IllegalArgumentException(message + " has no ack subject: it was not read from a work queue "
                    + "with subscriberAcks");
        }
        try {
            nc.publish(subject, answer);
            return true;
        } catch (RuntimeException e) {
            return false; // closed or not connected without a reconnect buffer
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
