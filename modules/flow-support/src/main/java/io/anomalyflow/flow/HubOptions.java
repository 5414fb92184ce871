package io.anomalyflow.flow;

import java.util.Objects;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Per-subscription options of a {@link MulticastHub}: buffer capacity, overflow policy, a filter
 * and what to replay first. Immutable; every method returns a new instance. Start from
 * {@link MulticastHub#options()}, which carries the hub's defaults and the item type, so lambdas
 * need no type witness:
 *
 * <pre>{@code
 * hub.subscribe(sse, hub.options()
 *         .bufferSize(1000).overflow(OverflowPolicy.DROP_OLDEST)
 *         .filter(a -> device.equals(a.deviceId()))
 *         .replay(() -> map.snapshotOldestFirst(device)));
 * }</pre>
 *
 * @param <T> the item type of the hub
 */
public final class HubOptions<T> {
    private final int bufferSize;
    private final OverflowPolicy overflow;
    private final Predicate<? super T> filter;
    private final Supplier<? extends Iterable<? extends T>> snapshot;
    private final boolean history;

    private HubOptions(int bufferSize, OverflowPolicy overflow, Predicate<? super T> filter,
            Supplier<? extends Iterable<? extends T>> snapshot, boolean history) {
        if (bufferSize < 1) {
            throw new IllegalArgumentException("bufferSize must be >= 1: " + bufferSize);
        }
        this.bufferSize = bufferSize;
        this.overflow = Objects.requireNonNull(overflow, "overflow");
        this.filter = filter;
        this.snapshot = snapshot;
        this.history = history;
    }

    static <T> HubOptions<T> create(int bufferSize, OverflowPolicy overflow) {
        return new HubOptions<>(bufferSize, overflow, null, null, true);
    }

    /**
     * Capacity of this subscriber's buffer of live items ({@code Integer.MAX_VALUE} for
     * "unbounded"; the buffer grows on demand, it is not preallocated). Replayed items do not
     * count against it.
     */
    public HubOptions<T> bufferSize(int bufferSize) {
        return new HubOptions<>(bufferSize, overflow, filter, snapshot, history);
    }

    /** What happens when the buffer is full and another item arrives. */
    public HubOptions<T> overflow(OverflowPolicy overflow) {
        return new HubOptions<>(bufferSize, overflow, filter, snapshot, history);
    }

    /**
     * Only items matching {@code filter} reach this subscriber. It is applied before buffering
     * (so {@link BufferedSubscription#dropped()} counts only relevant items) and to replayed items.
     * It runs under the hub's lock on the upstream's thread (live items, history), and for a
     * {@link #replay snapshot} lazily on the thread that emits to this subscriber, so it must be
     * thread-safe, cheap and non-blocking. If it throws, this subscriber fails with that
     * exception; the others are unaffected.
     */
    public HubOptions<T> filter(Predicate<? super T> filter) {
        return new HubOptions<>(bufferSize, overflow, Objects.requireNonNull(filter, "filter"), snapshot, history);
    }

    /**
     * Replay an owner-supplied snapshot first, instead of the hub's history. The supplier is called
     * <b>under the hub's lock</b>, in the same critical section that adds the subscriber, and the hub
     * runs its {@code onItem} hook and the dispatch of each item under that lock too. So the
     * snapshot reflects exactly the items dispatched before this subscriber was added, and every
     * later item reaches its buffer: snapshot ++ live has no gap and no duplicate.
     *
     * <p>The returned iterable is iterated later, outside the lock, by the subscriber's drain: it
     * must be a copy that nobody changes afterwards. If the supplier throws, the subscriber
     * receives {@code onSubscribe} then {@code onError} with that exception and is not added.
     */
    public HubOptions<T> replay(Supplier<? extends Iterable<? extends T>> snapshot) {
        return new HubOptions<>(bufferSize, overflow, filter, Objects.requireNonNull(snapshot, "snapshot"), history);
    }

    /** Replay nothing: neither a snapshot nor the hub's history. */
    public HubOptions<T> noReplay() {
        return new HubOptions<>(bufferSize, overflow, filter, null, false);
    }

    int bufferSize() {
        return bufferSize;
    }

    OverflowPolicy overflow() {
        return overflow;
    }

    Predicate<? super T> filter() {
        return filter;
    }

    Supplier<? extends Iterable<? extends T>> snapshot() {
        return snapshot;
    }

    boolean history() {
        return history;
    }

    @Override
    public String toString() {
        return "HubOptions[bufferSize=" + bufferSize + ", overflow=" + overflow + ", filter=" + (filter != null)
                + ", replay=" + (snapshot != null ? "snapshot" : history ? "history" : "none") + "]";
    }
}
