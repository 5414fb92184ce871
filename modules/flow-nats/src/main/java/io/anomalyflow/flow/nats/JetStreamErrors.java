package io.anomalyflow.flow.nats;

/**
 * The JetStream API error codes this library and its users act on: the {@code err_code} of an API
 * error, read with {@code JetStreamApiException.getApiErrorCode()} (nats-server's
 * {@code server/errors.json}; the same codes on 2.9 and later). Written once here, so a reader of
 * {@code if (e.getApiErrorCode() == JetStreamErrors.STREAM_NOT_FOUND)} does not meet a bare number.
 */
public final class JetStreamErrors {
    /** {@code 10059}: the stream named in the request does not exist. */
    public static final int STREAM_NOT_FOUND = 10059;
    /** {@code 10058}: a stream with that name exists already (with another configuration). */
    public static final int STREAM_NAME_IN_USE = 10058;
    /** {@code 10065}: the new stream's subjects overlap with those of an existing stream. */
    public static final int STREAM_SUBJECT_OVERLAP = 10065;
    /** {@code 10014}: the consumer named in the request does not exist. */
    public static final int CONSUMER_NOT_FOUND = 10014;

    private JetStreamErrors() {
    }
}
