package io.anomalyflow.detector;

/**
 * The detector could not start: NATS unreachable, the anomalies stream incompatible, the port taken.
 * The message says what and where, and is meant to be shown as is ({@link DetectorMain} prints it and
 * exits with status 1).
 */
public final class DetectorStartException extends Exception {
    public DetectorStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
