package io.anomalyflow.flow;

import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The subscribers of a {@link MulticastHub} that read its {@link HubRing}, and the one drain loop that
 * emits to all of them.
 *
 * <p><b>One drainer.</b> Whoever raises {@code wip} from 0 emits, to every lane, until no signal came
 * in meanwhile; so signals to each subscriber are serial (§1.3), a {@code request} inside
 * {@code onNext} only raises {@code wip} (§3.3), and no lane needs an atomic of its own per item.
 * Two kinds of work: a new item (or the hub's end) needs a pass over every lane; a {@code request}
 * needs only its own lane, which it queues in {@code woken}, so ten thousand readers each asking for
 * one more cost ten thousand lane visits, not ten thousand passes.
 *
 * <p>The lane array is copy-on-write, replaced under the hub's lock; the terminal state is written by
 * the hub after its last item, read by the lanes before the ring's head (see {@link RingLane}).
 *
 * @param <T> the item type
 */
final class RingFanOut<T> {
    final HubRing<T> ring;
    private final AtomicInteger wip = new AtomicInteger();
    private final ConcurrentLinkedQueue<RingLane<T>> woken = new ConcurrentLinkedQueue<>();
    private volatile RingLane<T>[] lanes = empty();
    private volatile RingLane<T>[] leaving = empty();
    private volatile boolean done;
    private volatile Throwable error;
    private volatile boolean passWanted;

    RingFanOut(int capacity) {
        this.ring = new HubRing<>(capacity);
    }

    /** The lanes now; the array is never modified afterwards. */
    RingLane<T>[] lanes() {
        return lanes;
    }

    boolean isEmpty() {
        return lanes.length == 0;
    }

    /** Under the hub's lock. */
    void add(RingLane<T> lane) {
        var a = lanes;
        var copy = Arrays.copyOf(a, a.length + 1);
        copy[a.length] = lane;
        lanes = copy;
    }

    /** Under the hub's lock; returns whether the lane was there. */
    boolean remove(RingLane<?> lane) {
        var a = lanes;
        for (int i = 0; i < a.length; i++) {
            if (a[i] == lane) {
                var copy = Arrays.copyOf(a, a.length - 1);
                System.arraycopy(a, i + 1, copy, i, a.length - i - 1);
                lanes = copy;
                return true;
            }
        }
        return false;
    }

    /** Under the hub's lock, after its last item: completion ({@code null}) or failure reaches every lane. */
    RingLane<T>[] terminate(Throwable failure) {
        error = failure;
        done = true;
        var a = lanes;
        leaving = a;
        lanes = empty();
        return a;
    }

    /** The lanes that were attached when the hub ended, until each has its terminal signal. */
    RingLane<T>[] leaving() {
        return leaving;
    }

    boolean isDone() {
        return done;
    }

    Throwable error() {
        return error;
    }

    /** A new item or the end: every lane has something to look at. */
    void dispatch() {
        passWanted = true;
        drain(null);
    }

    /** One lane's demand or state changed. */
    void wake(RingLane<T> lane) {
        if (lane.enqueue()) {
            woken.offer(lane);
        }
        drain(null);
    }

    /** Emits to the lanes of {@code visit} once, after a terminal state was set and the lanes removed. */
    void drain(RingLane<T>[] visit) {
        if (visit != null) {
            for (var lane : visit) {
                if (lane.enqueue()) {
                    woken.offer(lane);
                }
            }
        }
        if (wip.getAndIncrement() != 0) {
            return;
        }
        int missed = 1;
        for (;;) {
            if (passWanted) {
                passWanted = false;
                for (var lane : lanes) {
                    lane.emit(this);
                }
            }
            RingLane<T> lane;
            while ((lane = woken.poll()) != null) {
                lane.dequeued();
                lane.emit(this);
            }
            missed = wip.addAndGet(-missed);
            if (missed == 0) {
                return;
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> RingLane<T>[] empty() {
        return (RingLane<T>[]) new RingLane<?>[0];
    }
}
