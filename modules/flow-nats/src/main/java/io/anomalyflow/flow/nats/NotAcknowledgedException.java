package io.anomalyflow.flow.nats;

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

    public NotAcknowledgedException(String message, boolean possiblyStored, Throwable cause) {
        super(message + (possiblyStored ? " (the message may or may not be stored; retry with the same message id)"
                : " (the message was not stored)"), cause);
        this.possiblyStored = possiblyStored;
    }

    /** {@code false} only when the message is known not to be stored. */
    public boolean possiblyStored() {
        return possiblyStored;
    }
}
