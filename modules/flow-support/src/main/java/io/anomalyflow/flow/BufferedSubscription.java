package io.anomalyflow.flow;

import java.util.Iterator;
import java.util.Objects;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The subscription of one subscriber of a {@link MulticastHub} or a {@link BufferPublisher}: a
 * {@link BoundedBuffer} of its own, emptied by its demand. The same object is passed to
 * {@code onSubscribe} and returned by {@link MulticastHub#subscribe(Flow.Subscriber, HubOptions)},
 * so an owner can read {@link #dropped()} (for {@code /metrics}) without a cast.
 *
 * <p>Two sides. The <b>producer</b> (package-private {@code offer}, {@code complete},
 * {@code error}; one caller at a time: the hub under its lock, {@code BufferPublisher} from serial
 * upstream signals) records state and then calls {@code drain()}. The <b>consumer</b> is the
 * drain loop: whoever raises {@code wip} from 0 emits, comparing {@code emitted} with the
 * cumulative {@code requested}, so signals are serial (§1.1, §1.3) and a {@code request} made
 * inside {@code onNext} only bumps {@code wip} instead of recursing (§3.3). {@code wip} starts at
 * 1, held by the creator until the subscriber's {@code onSubscribe} returned, so nothing overtakes
 * it (§1.9).
 *
 * <p>Replayed items go out first and do not count against the capacity. Completion waits behind
 * replayed and buffered items; an error jumps ahead and discards them, so a subscriber without
 * demand still learns about it at once (the TCK requires this of processors, §1.4).
 * {@code request(n ≤ 0)} fails the subscriber with {@code IllegalArgumentException} (§3.9);
 * demand is capped at {@code Long.MAX_VALUE} (§3.17); {@code cancel} is idempotent (§3.5, §3.7),
 * detaches from the producer and drops the reference to the subscriber (§3.13).
 *
 * @param <T> the item type
 */
public final class BufferedSubscription<T> implements HubSubscription<T> {
    private static final System.Logger LOG = System.getLogger(BufferedSubscription.class.getName());

    private final BoundedBuffer<T> buffer;
    private final Consumer<? super T> onDrop;
    private final Consumer<? super BufferedSubscription<T>> onDetach;
    private final AtomicLong requested = new AtomicLong();
    private final AtomicInteger wip = new AtomicInteger(1);
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean done;
    // Touched only by the thread holding the drain (wip), which orders the accesses.
    private Flow.Subscriber<? super T> downstream;
    private Iterator<? extends T> replay;
    private long emitted;

    /**
     * @param onDrop   told about each dropped item, on the producer's thread
     * @param onDetach called when the subscriber stops wanting items (cancel, §3.9, overflow under
     *                 FAIL, a failing filter): remove it from the hub, or cancel the upstream
     */
    BufferedSubscription(Flow.Subscriber<? super T> downstream, int capacity, OverflowPolicy policy,
            Consumer<? super T> onDrop, Consumer<? super BufferedSubscription<T>> onDetach) {
        this.downstream = Objects.requireNonNull(downstream, "downstream");
        this.buffer = new BoundedBuffer<>(capacity, policy);
        this.onDrop = Objects.requireNonNull(onDrop, "onDrop");
        this.onDetach = Objects.requireNonNull(onDetach, "onDetach");
    }

    /** Items dropped by this subscriber's buffer so far. */
    @Override
    public long dropped() {
        return buffer.dropped();
    }

    /** Live items waiting for demand right now. */
    @Override
    public int buffered() {
        return buffer.size();
    }

    /** Whether the subscription is over: cancelled, or its terminal signal delivered; it emits nothing more. */
    @Override
    public boolean isFinished() {
        return cancelled.get();
    }

    @Override
    public void request(long n) {
        if (cancelled.get()) {
            return; // §3.6
        }
        if (n <= 0) {
            abort(Subscriptions.nonPositiveRequest(n)); // §3.9, signalled by the drainer
        } else {
            Demand.add(requested, n);
        }
        drain();
    }

    @Override
    public void cancel() {
        if (cancelled.compareAndSet(false, true)) {
            onDetach.accept(this);
            drain(); // releases the subscriber now, or the running drainer does (§3.13)
        }
    }

    /** Items to emit before any live item. Producer side, before {@link #subscribe()} only. */
    void replay(Iterator<? extends T> items) {
        this.replay = items;
    }

    /** Calls the subscriber's {@code onSubscribe}, then releases the drain held since construction. */
    void subscribe() {
        try {
            downstream.onSubscribe(this);
        } catch (RuntimeException e) { // §2.13 broken by the subscriber: it gets nothing more
            LOG.log(System.Logger.Level.WARNING, "onSubscribe threw; subscription cancelled", e);
            cancel();
        }
        drainLoop();
    }

    /** Buffers a live item by the overflow policy. Producer side; call {@link #drain()} after. */
    void offer(T item) {
        if (cancelled.get() || failure.get() != null) {
            return;
        }
        T evicted;
        try {
            evicted = buffer.offer(item);
        } catch (OverflowPolicy.OverflowException e) {
            abort(e);
            return;
        }
        if (evicted != null) {
            try {
                onDrop.accept(evicted);
            } catch (RuntimeException e) {
                abort(e);
            }
        }
    }

    /** The producer finished: complete after everything buffered. Producer side. */
    void complete() {
        done = true;
    }

    /** The producer failed: signal {@code error} at once, discarding the buffer. Producer side. */
    void error(Throwable error) {
        failure.compareAndSet(null, error);
    }

    /** Fails this subscriber alone (overflow, a failing filter, §3.9) and detaches it. */
    void abort(Throwable error) {
        if (failure.compareAndSet(null, error)) {
            onDetach.accept(this);
        }
    }

    /** Emits what demand allows; returns at once if another thread is emitting (it loops again). */
    void drain() {
        if (wip.getAndIncrement() == 0) {
            drainLoop();
        }
    }

    private void drainLoop() {
        int missed = 1;
        for (;;) {
            if (stopped()) {
                return; // wip stays raised: a finished subscription is never drained again
            }
            long r = requested.get();
            long e = emitted;
            while (e != r) {
                boolean d = done; // read before polling: an empty poll after done=true is final
                T item;
                try {
                    item = poll();
                } catch (RuntimeException ex) { // a failing replay iterator or filter
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
                } catch (RuntimeException ex) { // §2.13 broken by the subscriber: cancel it
                    fail(ex);
                    return;
                }
                e++;
                if (stopped()) {
                    return;
                }
            }
            if (e == r && done && isEmpty()) {
                terminate(null); // completion needs no demand
                return;
            }
            emitted = e;
            missed = wip.addAndGet(-missed);
            if (missed == 0) {
                return;
            }
        }
    }

    /** Handles cancellation and eager errors; true when the drain must end. */
    private boolean stopped() {
        if (cancelled.get()) {
            release();
            return true;
        }
        var f = failure.get();
        if (f != null) {
            terminate(f);
            return true;
        }
        return false;
    }

    private T poll() {
        var r = replay;
        if (r != null) {
            if (r.hasNext()) {
                return Objects.requireNonNull(r.next(), "replayed item"); // §2.13: never signal null
            }
            replay = null; // exhausted: let the snapshot be collected
        }
        return buffer.poll();
    }

    private boolean isEmpty() {
        if (replay != null && replay.hasNext()) {
            return false;
        }
        replay = null;
        return buffer.isEmpty();
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
        } catch (RuntimeException ex) { // §2.13 broken; the producer and the others carry on
            LOG.log(System.Logger.Level.WARNING, "subscriber threw from a terminal signal", ex);
        }
    }

    private void fail(Throwable error) {
        if (cancelled.compareAndSet(false, true)) {
            onDetach.accept(this);
        }
        terminate(error);
    }

    private void release() {
        downstream = null;
        replay = null;
        buffer.clear();
    }
}
