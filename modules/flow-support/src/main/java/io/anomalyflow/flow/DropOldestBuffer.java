package io.anomalyflow.flow;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Objects;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * A bounded buffer in front of one subscriber, drained by that subscriber's demand: the
 * subscription behind every {@link MulticastHub} subscriber and every {@link BufferPublisher}
 * subscriber. When full it drops the oldest item (or the newest, or fails, per
 * {@link OverflowPolicy}), counts the drop and tells {@code onDrop}; the producer never waits.
 *
 * <p>Two sides:
 * <ul>
 *   <li><b>Producer</b> ({@link #offer}, {@link #complete}, {@link #error}, {@link #replay}): one
 *       caller at a time (the hub calls them under its lock, {@code BufferPublisher} from serial
 *       upstream signals, §1.3). Each call records state only; the caller then calls
 *       {@link #drain()}.</li>
 *   <li><b>Consumer</b>: the STYLE.md drain loop ({@code wip}/{@code missed}, {@code emitted}
 *       against cumulative {@code requested}). Whoever raises {@code wip} from 0 emits, so
 *       signals are serial (§1.3), never exceed demand (§1.1), and {@code request} inside
 *       {@code onNext} only bumps {@code wip} instead of recursing (§3.3).</li>
 * </ul>
 * Replayed items (set before {@link #subscribe()}) go out first and do not count against the
 * capacity. Completion waits behind buffered and replayed items; an error jumps ahead and
 * discards them, so a subscriber without demand still learns about it at once (TCK §1.4 for
 * processors requires that). {@code wip} starts at 1, held by the creator until
 * {@link #subscribe()}, so nothing reaches the subscriber before its {@code onSubscribe} returned (§1.9).
 *
 * @param <T> the item type
 */
final class DropOldestBuffer<T> implements HubSubscription {
    private static final System.Logger LOG = System.getLogger(DropOldestBuffer.class.getName());

    private final int capacity;
    private final OverflowPolicy policy;
    private final Consumer<? super T> onDrop;
    private final Consumer<? super DropOldestBuffer<T>> onDetach;
    private final ReentrantLock queueLock = new ReentrantLock();
    private final ArrayDeque<T> queue = new ArrayDeque<>();
    private final AtomicLong requested = new AtomicLong();
    private final AtomicInteger wip = new AtomicInteger(1);
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean done;
    // Touched only by the thread that holds the drain (wip), which orders the accesses.
    private Flow.Subscriber<? super T> downstream;
    private Iterator<? extends T> replay;
    private long emitted;

    /**
     * @param onDrop   told about each dropped item (runs on the producer's thread)
     * @param onDetach called once the subscriber no longer wants items (cancel, §3.9, overflow
     *                 under FAIL, a throwing replay): remove it from the hub / cancel upstream
     */
    DropOldestBuffer(Flow.Subscriber<? super T> downstream, int capacity, OverflowPolicy policy,
            Consumer<? super T> onDrop, Consumer<? super DropOldestBuffer<T>> onDetach) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1: " + capacity);
        }
        this.downstream = Objects.requireNonNull(downstream, "downstream");
        this.capacity = capacity;
        this.policy = Objects.requireNonNull(policy, "policy");
        this.onDrop = Objects.requireNonNull(onDrop, "onDrop");
        this.onDetach = Objects.requireNonNull(onDetach, "onDetach");
    }

    /** Items to emit before any live item. Producer side, before {@link #subscribe()} only. */
    void replay(Iterator<? extends T> items) {
        this.replay = items;
    }

    /**
     * Calls the subscriber's {@code onSubscribe} with this subscription, then releases the drain
     * held since construction: no other signal can overtake {@code onSubscribe} (§1.9).
     */
    void subscribe() {
        try {
            downstream.onSubscribe(this);
        } catch (RuntimeException e) { // §2.13 broken by the subscriber: it gets nothing more
            LOG.log(System.Logger.Level.WARNING, "onSubscribe threw; subscription cancelled", e);
            cancel();
        }
        drainLoop();
    }

    /** Buffers a live item, applying the overflow policy when full. Producer side. */
    void offer(T item) {
        if (cancelled.get() || failure.get() != null) {
            return;
        }
        T evicted = null;
        boolean overflow = false;
        queueLock.lock();
        try {
            if (cancelled.get()) {
                return; // checked under the lock that release() takes, so nothing is left behind
            }
            if (queue.size() < capacity) {
                queue.offer(item);
            } else {
                switch (policy) {
                    case DROP_OLDEST -> {
                        evicted = queue.poll();
                        queue.offer(item);
                    }
                    case DROP_NEWEST -> evicted = item;
                    case FAIL -> {
                        overflow = true;
                        queue.clear();
                    }
                }
            }
        } finally {
            queueLock.unlock();
        }
        if (evicted != null) {
            dropped.incrementAndGet();
            try {
                onDrop.accept(evicted);
            } catch (RuntimeException e) {
                abort(e);
            }
        }
        if (overflow) {
            abort(new OverflowPolicy.OverflowException(capacity));
        }
    }

    /** The producer finished: complete after everything buffered was emitted. Producer side. */
    void complete() {
        done = true;
    }

    /** The producer failed: signal {@code error} at once, discarding what is buffered. Producer side. */
    void error(Throwable error) {
        failure.compareAndSet(null, error);
    }

    /** Fails this subscriber on its own (overflow, a throwing filter) and detaches it. */
    void abort(Throwable error) {
        if (failure.compareAndSet(null, error)) {
            onDetach.accept(this);
        }
    }

    /** Emits what demand allows; a no-op if another thread is already emitting (it will loop). */
    void drain() {
        if (wip.getAndIncrement() == 0) {
            drainLoop();
        }
    }

    @Override
    public void request(long n) {
        if (cancelled.get()) {
            return; // §3.6
        }
        if (n <= 0) {
            abort(Subscriptions.nonPositiveRequest(n)); // §3.9, signalled by the drainer
        } else {
            Demand.add(requested, n); // capped at Long.MAX_VALUE, §3.17
        }
        drain();
    }

    @Override
    public void cancel() {
        if (cancelled.compareAndSet(false, true)) { // §3.5/§3.7: idempotent
            onDetach.accept(this);
            drain(); // releases the subscriber now, or the running drainer does (§3.13)
        }
    }

    @Override
    public long dropped() {
        return dropped.get();
    }

    @Override
    public int buffered() {
        queueLock.lock();
        try {
            return queue.size();
        } finally {
            queueLock.unlock();
        }
    }

    @Override
    public boolean isCancelled() {
        return cancelled.get();
    }

    private void drainLoop() {
        int missed = 1;
        for (;;) {
            if (cancelled.get()) {
                release(); // wip stays raised: nobody drains a cancelled buffer again
                return;
            }
            if (failure.get() != null) {
                terminate(failure.get());
                return;
            }
            long r = requested.get();
            long e = emitted;
            while (e != r) {
                boolean d = done; // read before polling: an empty poll after done=true is final
                T item;
                try {
                    item = poll();
                } catch (RuntimeException ex) { // a throwing replay iterator or filter
                    fail(ex);
                    return;
                }
                if (item == null) {
                    if (d) {
                        terminate(null);
                        return;
                    }
                    break;
                }
                try {
                    downstream.onNext(item);
                } catch (RuntimeException ex) { // §2.13 broken by the subscriber: treat it as cancelled
                    fail(ex);
                    return;
                }
                e++;
                if (cancelled.get()) {
                    release();
                    return;
                }
                if (failure.get() != null) {
                    terminate(failure.get());
                    return;
                }
            }
            if (e == r && done && isEmpty()) {
                terminate(null); // completion needs no demand (§1.4/§1.5 are not gated by request)
                return;
            }
            emitted = e;
            missed = wip.addAndGet(-missed);
            if (missed == 0) {
                return;
            }
        }
    }

    private T poll() {
        Iterator<? extends T> r = replay;
        if (r != null) {
            if (r.hasNext()) {
                return Objects.requireNonNull(r.next(), "replayed item"); // §2.13: never signal null
            }
            replay = null; // exhausted: let the snapshot be collected
        }
        queueLock.lock();
        try {
            return queue.poll();
        } finally {
            queueLock.unlock();
        }
    }

    private boolean isEmpty() {
        if (replay != null && replay.hasNext()) {
            return false;
        }
        replay = null;
        queueLock.lock();
        try {
            return queue.isEmpty();
        } finally {
            queueLock.unlock();
        }
    }

    /** Delivers the terminal signal once and forgets the subscriber (§1.7, §3.13). */
    private void terminate(Throwable error) {
        var a = downstream;
        cancelled.set(true);
        release();
        if (a == null) {
            return;
        }
        try {
            if (error == null) {
                a.onComplete();
            } else {
                a.onError(error);
            }
        } catch (RuntimeException ex) { // §2.13 broken; the producer and other subscribers carry on
            LOG.log(System.Logger.Level.WARNING, "subscriber threw from a terminal signal", ex);
        }
    }

    private void fail(Throwable error) {
        if (cancelled.compareAndSet(false, true)) {
            onDetach.accept(this);
        }
        failure.compareAndSet(null, error);
        terminate(error);
    }

    private void release() {
        downstream = null;
        replay = null;
        queueLock.lock();
        try {
            queue.clear();
        } finally {
            queueLock.unlock();
        }
    }
}
