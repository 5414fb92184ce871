package io.anomalyflow.flow;

import java.util.Iterator;
import java.util.Objects;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * A <b>hot</b> multicast processor with a bounded buffer per subscriber and replay for late
 * subscribers: the fan-out in front of the SSE readers.
 *
 * <pre>{@code
 * var hub = MulticastHub.<Anomaly>builder().prefetch(256).onItem(map::put).build();
 * pipeline.subscribe(hub);
 * HubSubscription<Anomaly> s = hub.subscribe(sse, hub.options()
 *         .bufferSize(1000).overflow(OverflowPolicy.DROP_OLDEST)
 *         .filter(a -> device.equals(a.deviceId()))
 *         .replay(() -> map.snapshotOldestFirst(device)));   // called under the hub's lock
 * hub.droppedTotal(); hub.subscriberCount();
 * }</pre>
 *
 * <p><b>Upstream.</b> One subscription. The hub requests {@code prefetch} items, and 75 % of that
 * again each time that many were dispatched, whether or not subscribers are present: dispatch
 * never waits, so a slow or stuck subscriber never slows the upstream or the other subscribers.
 * An item no subscriber wants is only seen by the {@code onItem} hook and the history. Demand is
 * never unbounded.
 *
 * <p><b>Subscribers.</b> Two kinds, chosen by the options, with the same guarantees. A subscriber
 * with no filter, {@link OverflowPolicy#DROP_OLDEST} and a {@code bufferSize} no larger than the hub's
 * own reads the hub's shared ring ({@link HubRing}, sized from the builder's {@code bufferSize}): each
 * item is written there once, whatever the fan-out, and each such subscriber has a cursor and a demand
 * counter, emptied by one drain loop for all of them ({@link RingFanOut}). One that falls more than
 * its {@code bufferSize} behind skips ahead to the oldest item it may keep and counts what it skipped:
 * drop-oldest by construction: for a stuck subscriber the drain only moves its cursor and counts the
 * skip, never copying an item. Any other
 * subscriber (a filter, {@code DROP_NEWEST}, {@code FAIL}, or a larger buffer) has a
 * {@link BufferedSubscription}: a bounded buffer of its own, filled under the hub's lock by its
 * filter and overflow policy, emptied by its own demand; a sparse filter would otherwise need the ring
 * to keep arbitrarily many items for its few. Drops are counted per subscriber and in
 * {@link #droppedTotal()}. A subscriber sees the items dispatched after it joined, in upstream order,
 * each once. Under {@link OverflowPolicy#FAIL} an overflowing subscriber alone fails and leaves.
 * {@code cancel} removes the subscriber at once and the reference to it (§3.13).
 *
 * <p><b>Replay, linearizable.</b> The {@code onItem} hook, the history and the dispatch of each
 * item (the ring write, or the offers to buffers) run in one critical section of the hub's lock;
 * a joining subscriber's replay (the owner's snapshot, or else the last {@code history} items) is
 * taken in the critical section that adds it, and a ring subscriber's cursor starts at the ring's
 * head there. Each item is therefore either in the replay or in the subscriber's buffer, never both,
 * never neither: replay ++ live has no gap and no duplicate.
 *
 * <p><b>Terminal signals.</b> {@code onComplete} reaches each subscriber after its replayed and
 * buffered items; {@code onError} jumps ahead of them, so a subscriber without demand learns about
 * the failure at once (the TCK requires this of processors). A subscriber joining after completion
 * gets its replay, then {@code onComplete}; after an error, the error at once. {@link #close()}
 * cancels the upstream and completes the hub; with {@code autoCancel} the last subscriber's
 * departure does the same (the default keeps the hub running without readers).
 *
 * @param <T> the item type
 */
public final class MulticastHub<T> implements Flow.Processor<T, T>, AutoCloseable {
    private static final int MAX_RING = 1 << 16;
    private final int prefetch;
    private final int limit;
    private final HubOptions<T> defaults;
    private final Consumer<? super T> onItem;
    private final boolean autoCancel;
    private final ReentrantLock lock = new ReentrantLock();
    private final HubHistory<T> history;     // guarded by lock
    private final HubMembers<T> members = new HubMembers<>(); // replaced under lock
    private final RingFanOut<T> fan;         // lanes replaced under lock
    private final AtomicReference<Flow.Subscription> upstream = new AtomicReference<>();
    private final LongAdder droppedTotal = new LongAdder();
    private boolean done;    // guarded by lock
    private Throwable error; // guarded by lock
    // Touched only from upstream signals, which are serial (§1.3).
    private int consumed;
    private BufferedSubscription<?>[] toDrain = new BufferedSubscription<?>[8];

    MulticastHub(HubBuilder<T> b) {
        if (b.prefetch < 1) {
            throw new IllegalArgumentException("prefetch must be >= 1: " + b.prefetch);
        }
        this.prefetch = b.prefetch;
        this.limit = Math.max(1, b.prefetch - (b.prefetch >> 2));
        this.defaults = HubOptions.create(b.bufferSize, b.overflow);
        this.history = new HubHistory<>(b.history);
        this.fan = new RingFanOut<>(Math.min(b.bufferSize, MAX_RING));
        this.onItem = b.onItem;
        this.autoCancel = b.autoCancel;
    }

    /** A hub with the defaults of {@link HubBuilder}. */
    public static <T> MulticastHub<T> create() {
        return new HubBuilder<T>().build();
    }

    public static <T> HubBuilder<T> builder() {
        return new HubBuilder<>();
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
     * one critical section (see the class comment); {@code onSubscribe} follows, outside the lock,
     * before any other signal.
     *
     * @return the subscription also passed to {@code onSubscribe}, for its drop counter
     */
    public HubSubscription<T> subscribe(Flow.Subscriber<? super T> subscriber, HubOptions<T> options) {
        Objects.requireNonNull(subscriber, "subscriber");
        Objects.requireNonNull(options, "options");
        if (options.filter() == null && options.overflow() == OverflowPolicy.DROP_OLDEST
                && options.bufferSize() <= fan.ring.capacity()) {
            return subscribeLane(subscriber, options);
        }
        var s = new BufferedSubscription<T>(subscriber, options.bufferSize(), options.overflow(),
                dropped -> droppedTotal.increment(), this::remove);
        lock.lock();
        try {
            if (done && error != null) {
                s.error(error);
            } else {
                var replay = replayFor(options);
                if (replay != null) {
                    s.replay(replay);
                }
                if (done) {
                    s.complete();
                } else {
                    members.add(new HubMembers.Member<>(s, options.filter()));
                }
            }
        } catch (RuntimeException e) { // the owner's snapshot supplier or the filter threw
            s.error(e);
        } finally {
            lock.unlock();
        }
        s.subscribe();
        return s;
    }

    /** A subscriber that reads the shared ring: no filter, drop-oldest, a capacity the ring holds. */
    private RingLane<T> subscribeLane(Flow.Subscriber<? super T> subscriber, HubOptions<T> options) {
        lock.lock();
        RingLane<T> lane;
        try {
            lane = new RingLane<>(subscriber, options.bufferSize(), fan, this::remove);
            if (done && error != null) {
                lane.fail(error);
            } else {
                try {
                    var replay = replayFor(options);
                    if (replay != null) {
                        lane.replay(replay);
                    }
                    if (!done) {
                        fan.add(lane);
                    }
                } catch (RuntimeException e) { // the owner's snapshot supplier threw
                    lane.fail(e);
                }
            }
        } finally {
            lock.unlock();
        }
        lane.subscribe();
        return lane;
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
        boolean ringed = false;
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
                ringed = !fan.isEmpty();
                if (ringed) {
                    fan.ring.add(item); // once, for every lane
                }
                var ms = members.array();
                if (toDrain.length < ms.length) {
                    toDrain = new BufferedSubscription<?>[Math.max(ms.length, toDrain.length * 2)];
                }
                for (var m : ms) {
                    if (m.offer(item)) {
                        toDrain[n++] = m.subscription();
                    }
                }
            }
        } finally {
            lock.unlock();
        }
        if (hookFailure != null) { // like a failing mapper: stop the upstream, fail everyone
            cancelUpstream();
            terminate(hookFailure);
            return;
        }
        // Emit outside the lock: a subscriber's onNext must not hold up joins, leaves or dispatch.
        if (ringed) {
            fan.dispatch();
        }
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
        lock.lock(); // a leaving ring subscriber's count moves into droppedTotal under it: never seen twice or not at all
        try {
            long total = droppedTotal.sum();
            for (var lane : fan.lanes()) {
                total += lane.liveDropped();
            }
            for (var lane : fan.leaving()) {
                total += lane.liveDropped();
            }
            return total;
        } finally {
            lock.unlock();
        }
    }

    /** Subscribers currently attached (cancelled and terminated ones are not counted). */
    public int subscriberCount() {
        return members.size() + fan.lanes().length;
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
        HubMembers.Member<T>[] ms;
        RingLane<T>[] lanes;
        lock.lock();
        try {
            if (done) {
                return;
            }
            done = true;
            error = failure;
            ms = members.clear();
            lanes = fan.terminate(failure);
        } finally {
            lock.unlock();
        }
        fan.drain(lanes);
        for (var m : ms) {
            if (failure == null) {
                m.subscription().complete();
            } else {
                m.subscription().error(failure);
            }
            m.subscription().drain();
        }
    }

    private void cancelUpstream() {
        var s = upstream.getAndSet(Subscriptions.CANCELLED);
        if (s != null) {
            s.cancel();
        }
    }

    private void remove(HubSubscription<T> subscription) {
        boolean shutdown = false;
        lock.lock();
        try {
            boolean removed;
            if (subscription instanceof RingLane<T> lane) {
                removed = fan.remove(lane);
                droppedTotal.add(lane.freeze());
            } else {
                removed = members.remove((BufferedSubscription<T>) subscription) >= 0;
            }
            if (removed && subscriberCount() == 0 && autoCancel && !done) {
                done = true; // late subscribers now get their replay and onComplete
                fan.terminate(null); // no lane is left to tell
                shutdown = true;
            }
        } finally {
            lock.unlock();
        }
        if (shutdown) {
            cancelUpstream();
        }
    }
}
