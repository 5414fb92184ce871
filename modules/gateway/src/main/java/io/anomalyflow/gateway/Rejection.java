package io.anomalyflow.gateway;

/**
 * A request the gateway refuses, with the status and the message of the JSON error reply. It is
 * control flow for the caller's mistakes (and for 503s), so it carries no stack trace.
 */
final class Rejection extends Exception {
    private final int status;

    Rejection(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }
}
