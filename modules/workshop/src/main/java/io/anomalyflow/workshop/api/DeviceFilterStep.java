package io.anomalyflow.workshop.api;

import java.util.concurrent.Flow;
import java.util.function.Predicate;

/**
 * Step 10: what one reader of the shared stream gets: only the items it asked for (its devices),
 * kept in a bounded buffer of its own while it is slow.
 */
public interface DeviceFilterStep {
    /**
     * The items of {@code source} that {@code keep} accepts, through a buffer of {@code capacity}
     * items that drops the oldest when full. The source is never slowed down by this reader.
     */
    <T> Flow.Publisher<T> view(Flow.Publisher<T> source, Predicate<? super T> keep, int capacity);
}
