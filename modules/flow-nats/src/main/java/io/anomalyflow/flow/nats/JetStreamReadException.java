package io.anomalyflow.flow.nats;

/**
 * The error a {@link JetStreamPublisher} subscription ends with when it cannot go on: the stream is gone,
 * the server refused a pull for good (an unknown {@code 409}, a limit of a shared consumer), a durable
 * consumer was deleted, the connection was closed. Transient trouble (a restart, a reconnect, a missed
 * heartbeat) never surfaces as this error: the subscription recovers from it by itself.
 */
public class JetStreamReadException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public JetStreamReadException(String message) {
        super(message);
    }

    public JetStreamReadException(String message, Throwable cause) {
        super(message, cause);
    }
}
