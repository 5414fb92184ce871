package io.anomalyflow.workshop.api;

import java.util.concurrent.Flow;

/**
 * Step 08: one hot stream shared by every reader: a processor that subscribes to its upstream
 * once and passes each item to all its current subscribers.
 */
public interface MulticastStep {
    /** A new, unsubscribed processor. */
    <T> Flow.Processor<T, T> create();

    /**
     * Whether an item reaches the subscribers only once every one of them asked for it (lock-step:
     * the slowest subscriber governs), as opposed to each subscriber being served on its own demand
     * from a buffer of its own. The TCK checks each kind differently.
     */
    boolean coordinatedEmission();
}
