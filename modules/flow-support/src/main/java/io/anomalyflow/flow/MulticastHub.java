package io.anomalyflow.flow;

import java.util.Arrays;
import java.util.Iterator;
import java.util.Objects;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A <b>hot</b> multicast processor with a bounded buffer per subscriber and replay for late
 * subscribers: the fan-out in front of the SSE readers.
 *
 * <p><b>Upstream.</b> One subscription. The hub requests {@code prefetch} items and requests more
 * (75 % of {@code prefetch} at a time) as it moves items into subscriber buffers, whether or not
 * subscribers are present: dispatch never waits, so a slow or stuck subscriber never slows the
 * upstream or the other subscribers. An item that reaches no subscriber is only seen by the
 * {@code onItem} hook and the history. Demand is never unbounded.
 *
 * <p><b>Subscribers.</b> Each has its own bounded buffer ({@link HubOptions}: capacity, an
 * {@link OverflowPolicy}, a filter applied before buffering), drained by its own demand with the
 * drain loop of {@link DropOldestBuffer} (§1.1, §1.3, §3.3). Drops are counted per subscriber
 * ({@link HubSubscription#dropped()}) and in total ({@link #droppedTotal()}). A subscriber sees
 * the items dispatched after it joined, in upstream order, each once. Under
 * {@link OverflowPolicy#FAIL} an overflowing subscriber alone gets an
 * {@link OverflowPolicy.OverflowException} and is removed. {@code cancel} removes the subscriber
 * at once and drops its buffer and the reference to it (§3.13).
 *
 * <p><b>Replay, linearizable.</b> The {@code onItem} hook, the history and the dispatch of each
 * item run in one critical section of the hub's lock; a joining subscriber's replay (the owner's
 * snapshot supplier, or else the last {@code history} items) is taken in the critical section
 * that adds it. Every item is therefore either in the replay or in the subscriber's buffer,
 * never both, never neither: replay ++ live has no gap and no duplicate.
 *
 * <p><b>Terminal signals.</b> {@code onComplete} reaches each subscriber after its replayed and
 * buffered items; {@code onError} jumps ahead and discards them, so a subscriber without demand
 * learns about the failure at once (the TCK requires this of processors). A subscriber joining
 * after completion gets its replay, then {@code onComplete}; after an error, the error at once.
 * {@link #close()} cancels the upstream and completes the hub. With {@code autoCancel}, the
 * departure of the last subscriber does the same (the TCK's processor rules expect that; the
 * default keeps the hub running without readers).
 *
 * @param <T> the item type
 */
public final class MulticastHub<T> implements Flow.Processor<T, T>, AutoCloseable {
    private final int prefetch;
    private final int limit;
    private final HubOptions<T> defaults;
    private final Consumer<? super T> onItem;
    private final boolean autoCancel;
    private final ReentrantLock lock = new ReentrantLock();
    private final HubHistory<T> history;
    private final AtomicReference<Flow.Subscription> upstream = new AtomicReference<>();
    private final LongAdder droppedTotal = new LongAdder();
    // Copy-on-write, replaced under the lock; read without it only by subscriberCount().
    private volatile Member<T>[] members = empty();
    private boolean done;   // guarded by lock
    private Throwable error; // guarded by lock
    // Touched only from upstream signals, which are serial (§1.3).
    private int consumed;
    private DropOldestBuffer<?>[] toDrain = new DropOldestBuffer<?>[8];

    private MulticastHub(Builder<T> b) {
        if (b.prefetch < 1) {
            throw new IllegalArgumentException("prefetch must be >= 1: " + b.prefetch);
        }
        this.prefetch = b.prefetch;
        this.limit = Math.max(1, b.prefetch - (b.prefetch >> 2));
        this.defaults = HubOptions.create(b.bufferSize, b.overflow);
        this.history = new HubHistory<>(b.history);
        this.onItem = b.onItem;
        this.autoCancel = b.autoCancel;
    }

    /** A hub with the defaults of {@link Builder}. */
    public static <T> MulticastHub<T> create() {
        return new Builder<T>().build();
    }

    public static <T> Builder<T> builder() {
        return new Builder<>();
    }

    /** Options for {@link #subscribe(Flow.Subscriber, HubOptions)}, starting from this hub's defaults. */
    public HubOptions<T> options() {
        return defaults;
    }

    /** Subscribes with this hub's default options (§1.9: {@code null} throws NPE). */
    @Override
    public void subscribe(Flow.Subscriber<? super T> subscriber) {
        subscribe(subscriber, defaults);
    }

    /**
     * Subscribes with per-subscription options. The replay is taken and the subscriber added in
     * one critical section (see the class comment); {@code onSubscribe} is then called outside
     * the lock, before any other signal.
     *
     * @return the subscription also passed to {@code onSubscribe}, for its drop counter
     */
    public HubSubscription subscribe(Flow.Subscriber<? super T> subscriber, HubOptions<T> options) {
        Objects.requireNonNull(subscriber, "subscriber");
        Objects.requireNonNull(options, "options");
        var buffer = new DropOldestBuffer<T>(subscriber, options.bufferSize(), options.overflow(),
                dropped -> droppedTotal.increment(), this::remove);
        RuntimeException joinFailure = null;
        lock.lock();
        try {
            if (done && error != null) {
                buffer.error(error);
            } else {
                var replay = replayFor(options);
                if (replay != null) {
                    buffer.replay(replay);
                }
                if (done) {
                    buffer.complete();
                } else {
                    members = append(members, new Member<>(buffer, options.filter()));
                }
            }
        } catch (RuntimeException e) { // the owner's snapshot supplier or the filter threw
            joinFailure = e;
        } finally {
            lock.unlock();
        }
        if (joinFailure != null) {
            buffer.error(joinFailure);
        }
        buffer.subscribe();
        return buffer;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        Objects.requireNonNull(subscription, "subscription"); // §2.13
        if (!upstream.compareAndSet(null, subscription)) {
            subscription.cancel(); // §2.5: a second upstream, or the hub was closed already
            return;
        }
        subscription.request(prefetch);
    }

    @Override
    public void onNext(T item) {
        Objects.requireNonNull(item, "item"); // §2.13
        int n = 0;
        RuntimeException hookFailure = null;
        lock.lock();
        try {
            if (done) {
                return; // §2.8: items may still come after we cancelled
            }
            if (onItem != null) {
                try {
                    onItem.accept(item);
                } catch (RuntimeException e) {
                    hookFailure = e;
                }
            }
            if (hookFailure == null) {
                history.add(item);
                var ms = members;
                if (toDrain.length < ms.length) {
                    toDrain = new DropOldestBuffer<?>[Math.max(ms.length, toDrain.length * 2)];
                }
                for (var m : ms) {
                    if (m.offer(item)) {
                        toDrain[n++] = m.buffer();
                    }
                }
            }
        } finally {
            lock.unlock();
        }
        if (hookFailure != null) { // like a failing mapper: stop the upstream, fail everyone (§2.13)
            cancelUpstream();
            terminate(hookFailure);
            return;
        }
        // Emit outside the lock: a subscriber's onNext must not hold up joins, leaves or dispatch.
        for (int i = 0; i < n; i++) {
            toDrain[i].drain();
            toDrain[i] = null; // §3.13: keep no cancelled subscriber reachable from here
        }
        if (++consumed == limit) {
            consumed = 0;
            var s = upstream.get();
            if (s != null) {
                s.request(limit); // CANCELLED once closed: a no-op
            }
        }
    }

    @Override
    public void onError(Throwable throwable) {
        Objects.requireNonNull(throwable, "throwable"); // §2.13
        upstream.set(Subscriptions.CANCELLED);
        terminate(throwable);
    }

    @Override
    public void onComplete() {
        upstream.set(Subscriptions.CANCELLED);
        terminate(null);
    }

    /** Cancels the upstream and completes every subscriber (after its buffered items). Idempotent. */
    @Override
    public void close() {
        cancelUpstream();
        terminate(null);
    }

    /** Total items dropped by all subscribers' buffers, past and present. */
    public long droppedTotal() {
        return droppedTotal.sum();
    }

    /** Subscribers currently attached (cancelled and terminated ones are not counted). */
    public int subscriberCount() {
        return members.length;
    }

    /** Whether the hub completed, failed or was closed. */
    public boolean isTerminated() {
        lock.lock();
        try {
            return done;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "MulticastHub[subscribers=" + subscriberCount() + ", prefetch=" + prefetch
                + ", dropped=" + droppedTotal() + ", terminated=" + isTerminated() + "]";
    }

    private Iterator<? extends T> replayFor(HubOptions<T> options) {
        if (options.snapshot() != null) {
            var snapshot = Objects.requireNonNull(options.snapshot().get(), "replay snapshot");
            return HubHistory.filtered(snapshot.iterator(), options.filter());
        }
        if (options.history()) {
            var kept = history.snapshot(options.filter());
            return kept.isEmpty() ? null : kept.iterator();
        }
        return null;
    }

    private void terminate(Throwable failure) {
        Member<T>[] ms;
        lock.lock();
        try {
            if (done) {
                return;
            }
            done = true;
            error = failure;
            ms = members;
            members = empty();
        } finally {
            lock.unlock();
        }
        for (var m : ms) {
            if (failure == null) {
                m.buffer().complete();
            } else {
                m.buffer().error(failure);
            }
            m.buffer().drain();
        }
    }

    private void cancelUpstream() {
        var s = upstream.getAndSet(Subscriptions.CANCELLED);
        if (s != null) {
            s.cancel();
        }
    }

    private void remove(DropOldestBuffer<T> buffer) {
        boolean shutdown = false;
        lock.lock();
        try {
            var ms = members;
            for (int i = 0; i < ms.length; i++) {
                if (ms[i].buffer() == buffer) {
                    members = without(ms, i);
                    break;
                }
            }
            if (autoCancel && !done && members.length == 0) {
                done = true; // late subscribers now get their replay and onComplete
                shutdown = true;
            }
        } finally {
            lock.unlock();
        }
        if (shutdown) {
            cancelUpstream();
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> Member<T>[] empty() {
        return (Member<T>[]) new Member<?>[0];
    }

    private static <T> Member<T>[] append(Member<T>[] ms, Member<T> m) {
        var copy = Arrays.copyOf(ms, ms.length + 1);
        copy[ms.length] = m;
        return copy;
    }

    private static <T> Member<T>[] without(Member<T>[] ms, int i) {
        var copy = Arrays.copyOf(ms, ms.length - 1);
        System.arraycopy(ms, i + 1, copy, i, ms.length - i - 1);
        return copy;
    }

    /** One subscriber: its buffer and its filter. */
    private record Member<T>(DropOldestBuffer<T> buffer, Predicate<? super T> filter) {
        /** Filters and buffers {@code item}; true when the buffer has something new to drain. */
        boolean offer(T item) {
            try {
                if (filter != null && !filter.test(item)) {
                    return false;
                }
            } catch (RuntimeException e) {
                buffer.abort(e); // this subscriber alone fails; it is removed from the hub
                return true;
            }
            buffer.offer(item);
            return true;
        }
    }

    /**
     * Configures a {@link MulticastHub}. Defaults: {@code prefetch} {@link Flow#defaultBufferSize()},
     * per-subscriber {@code bufferSize} 1000 with {@link OverflowPolicy#DROP_OLDEST}, no history,
     * no {@code onItem} hook, no {@code autoCancel}.
     *
     * @param <T> the item type
     */
    public static final class Builder<T> {
        private int prefetch = Flow.defaultBufferSize();
        private int bufferSize = 1000;
        private OverflowPolicy overflow = OverflowPolicy.DROP_OLDEST;
        private int history;
        private Consumer<? super T> onItem;
        private boolean autoCancel;

        private Builder() {
        }

        /** Items requested from upstream ahead of dispatch (≥ 1); replenished at 75 %. */
        public Builder<T> prefetch(int prefetch) {
            this.prefetch = prefetch;
            return this;
        }

        /** Default per-subscriber buffer capacity. */
        public Builder<T> bufferSize(int bufferSize) {
            this.bufferSize = bufferSize;
            return this;
        }

        /** Default per-subscriber overflow policy. */
        public Builder<T> overflow(OverflowPolicy overflow) {
            this.overflow = Objects.requireNonNull(overflow, "overflow");
            return this;
        }

        /** Keep the last {@code items} items and replay them to each new subscriber (0: none). */
        public Builder<T> history(int items) {
            this.history = items;
            return this;
        }

        /**
         * Called with each item under the hub's lock, just before it is dispatched (e.g.
         * {@code map::put}), so that a replay snapshot taken under the same lock matches the
         * dispatch exactly. Keep it short. If it throws, the hub cancels its upstream and fails.
         */
        public Builder<T> onItem(Consumer<? super T> onItem) {
            this.onItem = Objects.requireNonNull(onItem, "onItem");
            return this;
        }

        /** When the last subscriber leaves, cancel the upstream and complete the hub. */
        public Builder<T> autoCancel(boolean autoCancel) {
            this.autoCancel = autoCancel;
            return this;
        }

        /** @throws IllegalArgumentException naming the bad value */
        public MulticastHub<T> build() {
            HubOptions.create(bufferSize, overflow); // validates bufferSize
            return new MulticastHub<>(this);
        }
    }
}
