package io.anomalyflow.flow;

import java.util.concurrent.Flow;
import java.util.function.Consumer;

/**
 * Factories for ready-made subscribers. Each call returns a new instance, to be subscribed once
 * (§2.12).
 */
public final class Subscribers {
    private Subscribers() {
    }

    /**
     * A subscriber that calls {@code onItem} for each item, keeping at most {@code prefetch} items
     * requested ahead and topping up at 75 % consumption. See {@link ConsumerSubscriber} for how it
     * ends and what it enforces.
     *
     * @throws IllegalArgumentException if {@code prefetch < 1}
     */
    public static <T> ConsumerSubscriber<T> consumer(Consumer<? super T> onItem, int prefetch) {
        return ConsumerSubscriber.create(onItem, prefetch);
    }

    /** {@link #consumer(Consumer, int)} with a prefetch of {@link Flow#defaultBufferSize()} (256). */
    public static <T> ConsumerSubscriber<T> consumer(Consumer<? super T> onItem) {
        return consumer(onItem, Flow.defaultBufferSize());
    }
}
