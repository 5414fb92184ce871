package io.anomalyflow.gateway;

/**
 * The gateway could not start: NATS unreachable, the stream incompatible, the port taken. The
 * message says what and where, and is meant to be shown as is ({@link GatewayMain} prints it and
 * exits with status 1).
 */
public final class GatewayStartException extends Exception {
    public GatewayStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
