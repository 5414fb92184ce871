package io.anomalyflow.flow.nats;

import io.nats.client.JetStreamApiException;

/**
 * A message JetStream did not acknowledge, so nothing is promised about it.
 *
 * <p>When {@link #possiblyStored()} is {@code true} (no ack within the timeout, connection lost while
 * waiting) the message <b>may or may not be stored</b>: retry it with the same message id, which the
 * stream's duplicate window turns into a no-op if the first attempt did land. When it is {@code false}
 * the message certainly was not stored: it was never sent (no free publish slot, disconnected) or the
 * server refused it.
 */
public final class NotAcknowledgedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final boolean possiblyStored;
    private final String reason;

    /**
     * @param reason         what happened, without what it means for the message ("no ack from JetStream within 2000 ms")
     * @param possiblyStored whether the message may have been stored all the same
     * @param cause          what jnats or the JDK threw, if anything
     */
    public NotAcknowledgedException(String reason, boolean possiblyStored, Throwable cause) {
        super(reason + (possiblyStored ? " (the message may or may not be stored; retry with the same message id)"
                : " (the message was not stored)"), cause);
        this.possiblyStored = possiblyStored;
        this.reason = reason;
    }

    /** What happened, without the sentence on what it means for the message that {@link #getMessage()} adds. */
    public String reason() {
        return reason;
    }

    /**
     * The server's error when JetStream answered the publish with one (a full stream or server, a
     * failed expectation): it certainly did not store the message; {@code null} when it did not answer.
     */
    public JetStreamApiException refusal() {
        return getCause() instanceof JetStreamApiException api ? api : null;
    }

    /** {@code false} only when the message is known not to be stored. */
    public boolean possiblyStored() {
        return possiblyStored;
    }
}
