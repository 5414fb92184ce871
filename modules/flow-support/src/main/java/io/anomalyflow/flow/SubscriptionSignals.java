package io.anomalyflow.flow;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What a subscriber told its subscription, for a publisher that runs one thread per subscription
 * (the "loop"), which alone calls the subscriber's {@code on*} methods: demand, cancellation and the
 * §3.9 bad request, recorded from any thread, and the loop's wait for them.
 *
 * <p>{@link #request} and {@link #cancel} only record and wake the loop; they never signal, so a
 * {@code request} inside {@code onNext} cannot recurse (§3.3) and the §3.9 error is delivered by the
 * loop, serially with its {@code onNext} calls (§1.3). Demand is capped at {@code Long.MAX_VALUE}
 * (§3.17), and only the loop takes it ({@link #produced}), so a positive {@link #requested()} stays
 * positive until the loop emits. Cancel is idempotent (§3.5, §3.7).
 *
 * <p>The publisher's {@code Flow.Subscription} forwards {@code request} and {@code cancel} here (it
 * does not hand this object out: the loop's methods are not the subscriber's to call). The loop
 * either waits here ({@link #awaitDemand}, {@link #awaitChange}) or in a mailbox of its own
 * (messages from a server, say): then {@link #create(Runnable)} gives the wake-up to call. A
 * {@code request} made on the loop's own thread (from {@code onNext}) wakes nobody: the loop is
 * running, and {@link #requestedInLoop()} tells it to look again before it waits.
 */
public final class SubscriptionSignals {
    /** For {@link #awaitDemand} and {@link #awaitChange}: no time limit. */
    public static final long NO_TIMEOUT = Long.MAX_VALUE;

    private final AtomicLong requested = new AtomicLong();
    private final BadRequest badRequest = new BadRequest();
    private final Runnable wakeLoop;
    private final ReentrantLock lock = new ReentrantLock(); // not synchronized: the loop may be a virtual thread
    private final Condition changed = lock.newCondition();
    private boolean woken; // guarded by lock: a change the loop has not waited past yet
    private volatile boolean cancelled;
    private volatile Thread loop;
    private boolean requestedInLoop; // loop thread only

    private SubscriptionSignals(Runnable wakeLoop) {
        this.wakeLoop = wakeLoop;
    }

    /** Signals for a loop that waits in {@link #awaitDemand} or {@link #awaitChange}. */
    public static SubscriptionSignals create() {
        return new SubscriptionSignals(null);
    }

    /** Signals for a loop that waits elsewhere: {@code wakeLoop} (any thread, must not block) wakes it. */
    public static SubscriptionSignals create(Runnable wakeLoop) {
        return new SubscriptionSignals(Objects.requireNonNull(wakeLoop, "wakeLoop"));
    }

    /** Call on the loop's thread before it hands this to {@code onSubscribe}. */
    public void bindLoop() {
        loop = Thread.currentThread();
    }

    /** The subscription's {@code request(n)}, from any thread. */
    public void request(long n) {
        if (!badRequest.record(n)) {
            Demand.add(requested, n);
        }
        if (Thread.currentThread() == loop) {
            requestedInLoop = true; // from inside onNext: the loop checks this before it waits
        } else {
            wake();
        }
    }

    /** The subscription's {@code cancel()}, from any thread. */
    public void cancel() {
        cancelled = true;
        wake();
    }

    /** From any thread: something the loop waits for changed (its source ended, say). */
    public void wake() {
        if (wakeLoop != null) {
            wakeLoop.run();
        }
        lock.lock();
        try {
            woken = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Loop thread: whether a request came from the loop's own thread since the last call (clears it). */
    public boolean requestedInLoop() {
        boolean r = requestedInLoop;
        requestedInLoop = false;
        return r;
    }

    /** The demand not yet emitted ({@code Long.MAX_VALUE}: unbounded). */
    public long requested() {
        return requested.get();
    }

    /** Loop thread: one item was emitted. */
    public void produced() {
        Demand.produced(requested, 1);
    }

    public boolean isCancelled() {
        return cancelled;
    }

    /** The §3.9 error the loop must signal (and then stop), or {@code null}. */
    public IllegalArgumentException badRequest() {
        return badRequest.get();
    }

    /**
     * Loop thread: waits until there is demand, a cancel or a bad request, at most {@code timeoutNanos}.
     *
     * @return whether the loop may emit: demand, no cancel, no bad request
     */
    public boolean awaitDemand(long timeoutNanos) throws InterruptedException {
        long due = System.nanoTime() + timeoutNanos;
        for (;;) {
            if (cancelled || badRequest.get() != null) {
                return false;
            }
            if (requested.get() > 0) {
                return true;
            }
            long left = timeoutNanos == NO_TIMEOUT ? NO_TIMEOUT : due - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            awaitChange(left);
        }
    }

    /**
     * Loop thread: waits for the next change (a request, a cancel, a {@link #wake}) since the last
     * wait, at most {@code timeoutNanos}; returns at once if one came since.
     */
    public void awaitChange(long timeoutNanos) throws InterruptedException {
        lock.lock();
        try {
            long left = timeoutNanos;
            while (!woken) {
                if (timeoutNanos == NO_TIMEOUT) {
                    changed.await();
                } else if (left <= 0) {
                    return;
                } else {
                    left = changed.awaitNanos(left);
                }
            }
            woken = false;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "SubscriptionSignals[requested=" + requested.get() + ", cancelled=" + cancelled + "]";
    }
}
