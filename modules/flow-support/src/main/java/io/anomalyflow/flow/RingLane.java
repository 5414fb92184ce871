package io.anomalyflow.flow;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Iterator;
import java.util.Objects;
import java.util.concurrent.Flow;
import java.util.function.Consumer;

/**
 * One subscriber of a {@link MulticastHub} that reads the hub's {@link HubRing}: a cursor and a demand
 * counter instead of a buffer. Its "buffer" is the ring's last {@code capacity} items after the cursor;
 * a subscriber that falls further behind skips ahead to the oldest of them and counts what it skipped,
 * which is drop-oldest by construction: while it is stuck the drain only moves its cursor and counts
 * what it skipped, never copying an item.
 *
 * <p>Signals come only from the {@link RingFanOut}'s drain loop, which calls {@link #emit} (one thread
 * at a time), after {@code onSubscribe} returned (§1.9). {@code request} and {@code cancel} may come
 * from any thread: they record, then wake the drain. Replayed items go out first and do not count
 * against the capacity. Completion waits behind replayed and retained items; an error (the hub's, or
 * §3.9's) jumps ahead. {@code cancel} drops the reference to the subscriber at once (§3.13).
 *
 * @param <T> the item type
 */
final class RingLane<T> implements HubSubscription<T> {
    private static final System.Logger LOG = System.getLogger(RingLane.class.getName());

    private final RingFanOut<T> fan;
    private final int capacity;
    private final Consumer<? super RingLane<T>> onDetach;
    // Atomic fields of the lane itself, reached through VarHandles, not Atomic* objects: the drain
    // visits every lane for every item, and each object of its own is one more pointer to chase.
    private static final VarHandle REQUESTED;
    private static final VarHandle QUEUED;
    private static final VarHandle FAILURE;
    private static final VarHandle PUBLISHED;

    static {
        try {
            var lookup = MethodHandles.lookup();
            REQUESTED = lookup.findVarHandle(RingLane.class, "requested", long.class);
            QUEUED = lookup.findVarHandle(RingLane.class, "queued", boolean.class);
            FAILURE = lookup.findVarHandle(RingLane.class, "failure", Throwable.class);
            PUBLISHED = lookup.findVarHandle(RingLane.class, "published", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile long requested;
    private volatile boolean queued;
    private volatile Throwable failure;
    private volatile long published; // the cursor, for readers of buffered()/dropped()
    private volatile Flow.Subscriber<? super T> downstream;
    private volatile boolean ready;
    private volatile boolean finished;
    private volatile long dropped;
    private volatile long frozen = -1; // dropped() once the lane left the hub
    // The drainer's own: only the thread running the fan's drain touches them.
    private Iterator<? extends T> replay;
    private long cursor;
    private long emitted;

    /** Joins at the ring's current head; under the hub's lock. */
    RingLane(Flow.Subscriber<? super T> downstream, int capacity, RingFanOut<T> fan,
            Consumer<? super RingLane<T>> onDetach) {
        this.downstream = Objects.requireNonNull(downstream, "downstream");
        this.capacity = capacity;
        this.fan = fan;
        this.onDetach = onDetach;
        this.cursor = fan.ring.head();
        PUBLISHED.setRelease(this, cursor);
    }

    @Override
    public long dropped() {
        long f = frozen;
        return f >= 0 ? f : dropped; // what the drain skipped: it only grows (never an estimate that could shrink)
    }

    /** What {@link #dropped()} says while the lane is attached; 0 once the hub counted it ({@link #freeze()}). */
    long liveDropped() {
        return frozen >= 0 ? 0 : dropped();
    }

    /** The hub removed this lane: its drop count stops here (items it skips no longer matter). */
    long freeze() {
        long d = dropped();
        frozen = d;
        return d;
    }

    @Override
    public int buffered() {
        return finished ? 0 : (int) Math.min(capacity, fan.ring.head() - published);
    }

    @Override
    public boolean isFinished() {
        return finished;
    }

    @Override
    public void request(long n) {
        if (finished) {
            return; // §3.6
        }
        if (n <= 0) {
            FAILURE.compareAndSet(this, null, Subscriptions.nonPositiveRequest(n)); // §3.9
        } else {
            Demand.add(REQUESTED, this, n);
        }
        fan.wake(this);
    }

    @Override
    public void cancel() {
        if (!finished) {
            finished = true;
            downstream = null; // §3.13; a drain already holding it may deliver one more item (§3.12)
            onDetach.accept(this);
        }
    }

    /** Items to emit before any live item; before {@link #subscribe()} only. */
    void replay(Iterator<? extends T> items) {
        this.replay = items;
    }

    /** Fails this subscriber alone with {@code error} (a failing replay snapshot, an error before it joined). */
    void fail(Throwable error) {
        FAILURE.compareAndSet(this, null, error);
    }

    /** Calls the subscriber's {@code onSubscribe}; only then may the drain emit to it. */
    void subscribe() {
        var a = downstream;
        try {
            a.onSubscribe(this);
        } catch (RuntimeException e) { // §2.13 broken by the subscriber: it gets nothing more
            LOG.log(System.Logger.Level.WARNING, "onSubscribe threw; subscription cancelled", e);
            cancel();
        }
        ready = true;
        fan.wake(this);
    }

    /** Whether the caller must queue this lane for the drain (it was not queued yet). */
    boolean enqueue() {
        return !queued && QUEUED.compareAndSet(this, false, true);
    }

    /** The drain took it from its queue: a later wake queues it again. */
    void dequeued() {
        queued = false;
    }

    /** Emits what demand allows; called by the fan's drainer only. */
    void emit(RingFanOut<T> fan) {
        var a = downstream;
        if (a == null || !ready) {
            return;
        }
        var f = failure;
        if (f == null) {
            f = fan.error();
        }
        if (f != null) {
            finish(a, f);
            return;
        }
        long r = requested;
        long e = emitted;
        try {
            var items = replay;
            while (items != null && e != r) {
                if (!items.hasNext()) {
                    items = replay = null; // exhausted: let the snapshot be collected
                    break;
                }
                a.onNext(Objects.requireNonNull(items.next(), "replayed item")); // §2.13: never null
                e++;
                if (finished || failure != null) {
                    emitted = e;
                    return; // the next visit delivers the error; cancel needs nothing more
                }
            }
            if (items != null && e == r && fan.isDone() && !items.hasNext()) {
                items = replay = null; // completion needs no demand; otherwise ask only with demand (lazy views)
            }
            if (items == null) {
                e = emitLive(a, fan, r, e); // without demand too: it counts the skip at once
            }
        } catch (RuntimeException ex) { // §2.13 broken by the subscriber, or a failing replay iterator
            emitted = e;
            finish(a, ex);
            return;
        }
        emitted = e;
    }

    private long emitLive(Flow.Subscriber<? super T> a, RingFanOut<T> fan, long r, long e) {
        boolean done = fan.isDone(); // read before the head: once done, the head is final
        var ring = fan.ring;
        long h = ring.head();
        long c = cursor;
        for (;;) {
            if (h - c > capacity) { // fell behind: skip to the oldest item this subscriber may keep
                dropped += h - c - capacity;
                c = h - capacity;
            }
            if (e == r || c == h) {
                break;
            }
            T item = ring.get(c);
            if (item == null) { // overtaken while reading: look at the head again
                h = ring.head();
                continue;
            }
            c++;
            a.onNext(item);
            e++;
            if (finished || failure != null) {
                break;
            }
        }
        cursor = c;
        PUBLISHED.setRelease(this, c);
        if (done && c == h && !finished && failure == null) {
            finish(a, null); // completion needs no demand
        }
        return e;
    }

    /** Delivers the terminal signal once and forgets the subscriber (§1.7, §3.13). */
    private void finish(Flow.Subscriber<? super T> a, Throwable error) {
        if (finished) {
            return; // cancelled meanwhile: nothing more to say
        }
        finished = true;
        downstream = null;
        replay = null;
        onDetach.accept(this);
        try {
            if (error == null) {
                a.onComplete();
            } else {
                a.onError(error);
            }
        } catch (RuntimeException ex) { // §2.13 broken; the hub and the others carry on
            LOG.log(System.Logger.Level.WARNING, "subscriber threw from a terminal signal", ex);
        }
    }
}
