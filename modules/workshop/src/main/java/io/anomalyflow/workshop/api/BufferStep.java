package io.anomalyflow.workshop.api;

import java.util.concurrent.Flow;

/**
 * Step 11: a bounded buffer in front of one slow subscriber that drops the oldest item when full,
 * so the source, and every other reader of it, never waits for this one.
 */
public interface BufferStep {
    /**
     * The items of {@code source}, buffered: it asks its source for everything, keeps at most
     * {@code capacity} items not yet requested downstream, and evicts the oldest to make room.
     */
    <T> Flow.Publisher<T> dropOldest(Flow.Publisher<T> source, int capacity);
}
