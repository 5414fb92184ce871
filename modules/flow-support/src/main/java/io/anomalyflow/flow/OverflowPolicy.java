package io.anomalyflow.flow;

/**
 * What a bounded buffer does with an item that arrives while it is full. The buffer sits in front
 * of one subscriber ({@link BufferPublisher}, or one subscriber of a {@link MulticastHub}), so the
 * policy only ever affects that subscriber: the producer is never slowed down and other
 * subscribers never notice.
 */
public enum OverflowPolicy {
    /** Evict the oldest buffered item to make room: a slow reader sees the newest items. */
    DROP_OLDEST,
    /** Discard the arriving item: a slow reader sees the oldest items, then a gap. */
    DROP_NEWEST,
    /**
     * Discard the whole buffer and fail that subscriber with an {@link OverflowException}; it is
     * cancelled (detached from its source) and receives the error without waiting for demand.
     */
    FAIL;

    /**
     * The error a subscriber receives when its buffer overflowed under {@link #FAIL}: it could not
     * keep up, and losing items silently was not acceptable.
     */
    public static final class OverflowException extends IllegalStateException {
        private final int capacity;

        /** @param capacity the capacity of the buffer that overflowed */
        public OverflowException(int capacity) {
            super("buffer of " + capacity + " items overflowed: the subscriber did not keep up (OverflowPolicy.FAIL)");
            this.capacity = capacity;
        }

        /** The capacity of the buffer that overflowed. */
        public int capacity() {
            return capacity;
        }
    }
}
