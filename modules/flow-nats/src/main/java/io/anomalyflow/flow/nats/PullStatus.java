package io.anomalyflow.flow.nats;

import io.nats.client.support.Status;

/**
 * What a status message on a pull's reply subject means for the subscription (nats-server 2.9 sends
 * the first five; the rest come from newer servers). Mirrors the table in nats.java's
 * {@code PullMessageManager}, but decides for <i>our</i> loop: which statuses just end one pull, which
 * call for a new consumer, and which cannot be fixed by retrying.
 */
enum PullStatus {
    /** {@code 100 Idle Heartbeat}: the pull is alive, nothing to deliver right now. */
    HEARTBEAT,
    /** {@code 404 No Messages}, {@code 408 Request Timeout / Interest Expired}, {@code 409 Batch Completed /
     *  Leadership Change}: this pull is over and nothing is wrong; pull again if demand is left. */
    PULL_ENDED,
    /** {@code 409 Message Size Exceeds MaxBytes}: the byte budget of this pull is spent. Benign, unless
     *  the pull delivered nothing at all: then the next message is larger than {@code maxBytes}. */
    PULL_ENDED_BYTES,
    /** {@code 409 Exceeded MaxWaiting}: too many pulls wait on the consumer; pause briefly, then pull. */
    PULL_REFUSED_BUSY,
    /** {@code 409 Consumer Deleted}: our consumer is gone. */
    CONSUMER_GONE,
    /** {@code 409 Server Shutdown}, {@code 503 No Responders}: the server or JetStream is going away. */
    SERVER_GONE,
    /** Anything else ({@code 400}, {@code 409 Exceeded MaxRequestBatch…}, {@code 409 Consumer is push based},
     *  unknown {@code 409}s): retrying the same pull cannot succeed. */
    FATAL;

    static PullStatus of(Status status) {
        var text = status.getMessage() == null ? "" : status.getMessage();
        return switch (status.getCode()) {
            case Status.FLOW_OR_HEARTBEAT_STATUS_CODE -> status.isHeartbeat() ? HEARTBEAT : FATAL;
            case Status.NOT_FOUND_CODE, Status.REQUEST_TIMEOUT_CODE -> PULL_ENDED;
            case Status.NO_RESPONDERS_CODE -> SERVER_GONE;
            case Status.CONFLICT_CODE -> conflict(text);
            default -> FATAL;
        };
    }

    private static PullStatus conflict(String text) {
        if (text.equals(Status.BATCH_COMPLETED) || text.equals(Status.LEADERSHIP_CHANGE)) {
            return PULL_ENDED;
        }
        if (text.equals(Status.MESSAGE_SIZE_EXCEEDS_MAX_BYTES)) {
            return PULL_ENDED_BYTES;
        }
        if (text.equals(Status.EXCEEDED_MAX_WAITING)) {
            return PULL_REFUSED_BUSY;
        }
        if (text.equals(Status.CONSUMER_DELETED)) {
            return CONSUMER_GONE;
        }
        if (text.equals(Status.SERVER_SHUTDOWN)) {
            return SERVER_GONE;
        }
        // "Exceeded MaxRequestBatch/Expires/MaxBytes of N" are limits of a shared consumer that our pull
        // broke: the very same pull would be refused forever, so say so instead of spinning.
        return FATAL;
    }
}
