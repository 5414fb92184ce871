package io.anomalyflow.flow;

import java.util.Objects;
import java.util.concurrent.Flow;
import java.util.function.Consumer;

/**
 * Configures a {@link MulticastHub}; get one from {@link MulticastHub#builder()}. Defaults:
 * {@code prefetch} {@link Flow#defaultBufferSize()} (256), per-subscriber {@code bufferSize} 1000
 * with {@link OverflowPolicy#DROP_OLDEST}, no history, no {@code onItem} hook, no
 * {@code autoCancel}. Values are checked by {@link #build()}.
 *
 * @param <T> the item type
 */
public final class HubBuilder<T> {
    int prefetch = Flow.defaultBufferSize();
    int bufferSize = 1000;
    OverflowPolicy overflow = OverflowPolicy.DROP_OLDEST;
    int history;
    Consumer<? super T> onItem;
    boolean autoCancel;

    HubBuilder() {
    }

    /** Items requested from upstream ahead of dispatch (≥ 1); more are requested at 75 % use. */
    public HubBuilder<T> prefetch(int prefetch) {
        this.prefetch = prefetch;
        return this;
    }

    /** Default per-subscriber buffer capacity (≥ 1). */
    public HubBuilder<T> bufferSize(int bufferSize) {
        this.bufferSize = bufferSize;
        return this;
    }

    /** Default per-subscriber overflow policy. */
    public HubBuilder<T> overflow(OverflowPolicy overflow) {
        this.overflow = Objects.requireNonNull(overflow, "overflow");
        return this;
    }

    /** Keep the last {@code items} items and replay them to each new subscriber (0: none). */
    public HubBuilder<T> history(int items) {
        this.history = items;
        return this;
    }

    /**
     * Called with each item under the hub's lock, just before it is dispatched (e.g.
     * {@code map::put}), so a replay snapshot taken under the same lock matches the dispatch
     * exactly. Keep it short and non-blocking. If it throws, the hub cancels its upstream and
     * fails every subscriber with that exception.
     */
    public HubBuilder<T> onItem(Consumer<? super T> onItem) {
        this.onItem = Objects.requireNonNull(onItem, "onItem");
        return this;
    }

    /** When the last subscriber leaves, cancel the upstream and complete the hub. */
    public HubBuilder<T> autoCancel(boolean autoCancel) {
        this.autoCancel = autoCancel;
        return this;
    }

    /** @throws IllegalArgumentException naming the bad value */
    public MulticastHub<T> build() {
        return new MulticastHub<>(this);
    }
}
