package io.anomalyflow.flow.nats;

/**
 * JetStream's acknowledgement of one appended message: it is in the server's store.
 *
 * @param sequence  the message's stream sequence; for a duplicate, the sequence of the message stored first
 * @param duplicate {@code true} when a message with the same id was already stored within the duplicate window
 */
public record PublishAck(long sequence, boolean duplicate) {
    public PublishAck {
        if (sequence < 1) {
            throw new IllegalArgumentException("sequence must be >= 1: " + sequence);
        }
    }
}
