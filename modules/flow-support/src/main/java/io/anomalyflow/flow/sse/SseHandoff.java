package io.anomalyflow.flow.sse;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The hand-over inside an {@link SseSubscriber} between the threads that signal it (a hub's
 * drain, shared by every reader) and the one thread that writes to the socket. Signals only record
 * state under a lock held for a few field writes, then wake the writer: they never wait for I/O.
 * The writer asks {@link #next} what to do and is the only caller of {@code request} and
 * {@code cancel} (§2.7).
 *
 * <p>Demand is a window: the writer asks for {@code window} items first, and after each flush for as
 * many as that flush took ({@link #request(long)}), so no more than {@code window} items are ever
 * requested and not yet written. Items that arrive while the writer is busy wait in {@code pending}
 * (never more than the window) and go out together, with one flush. {@code outstanding} counts the
 * items requested and not yet arrived; an item beyond it breaks §1.1 and ends the stream.
 *
 * @param <T> the item type
 */
final class SseHandoff<T> {
    /** What the writer does next. */
    sealed interface Step<T> {
        /** Write the items {@link #next} moved into the batch, flush once, then request as many. */
        record Write<T>() implements Step<T> {
        }

        /** The subscription arrived: make the first request, for the whole window. */
        record Request<T>() implements Step<T> {
        }

        /** Idle for a probe or heartbeat interval: write a comment. */
        record Ping<T>() implements Step<T> {
        }

        /** Stop: {@code cause} is {@code null} after completion or close, else why. */
        record End<T>(Throwable cause) implements Step<T> {
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    // All guarded by lock.
    private Flow.Subscription subscription;
    private boolean firstRequestDue;
    private long outstanding;
    private final ArrayDeque<T> pending = new ArrayDeque<>(4); // grows up to the window, for a busy reader only
    private boolean completed;
    private Throwable error;
    private boolean closeRequested;
    private Throwable closeCause;
    private boolean finished;

    /** Takes the subscription; false if there is one already or the stream ended (cancel it, §2.5). */
    boolean subscribe(Flow.Subscription s) {
        lock.lock();
        try {
            if (subscription != null || finished) {
                return false;
            }
            subscription = s;
            firstRequestDue = true;
            wake.signal();
            return true;
        } finally {
            lock.unlock();
        }
    }

    void item(T item) {
        lock.lock();
        try {
            if (finished || closeRequested) {
                return; // §2.8: late items after we stopped
            }
            if (outstanding == 0) {
                closeRequested = true;
                closeCause = new IllegalStateException("§1.1 violated: onNext(" + item + ") without a request");
            } else {
                outstanding--;
                pending.add(item);
            }
            wake.signal();
        } finally {
            lock.unlock();
        }
    }

    void error(Throwable t) {
        lock.lock();
        try {
            if (!completed && error == null) {
                error = t;
            }
            wake.signal();
        } finally {
            lock.unlock();
        }
    }

    void complete() {
        lock.lock();
        try {
            if (error == null) {
                completed = true;
            }
            wake.signal();
        } finally {
            lock.unlock();
        }
    }

    /** The owner ends the stream; the writer cancels the subscription. */
    void close() {
        lock.lock();
        try {
            closeRequested = true;
            wake.signal();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits for the next thing to do: pending items go out before a terminal signal (they arrived
     * in that order) — all of them, moved into {@code batch} for one {@link Step.Write} — and a
     * {@link Step.Ping} comes when nothing happened until {@code idleDeadline}
     * ({@link System#nanoTime()} based).
     */
    Step<T> next(long idleDeadline, List<T> batch) throws InterruptedException {
        lock.lock();
        try {
            for (;;) {
                if (closeRequested) {
                    return new Step.End<>(closeCause);
                }
                if (!pending.isEmpty()) {
                    batch.addAll(pending);
                    pending.clear();
                    return new Step.Write<>();
                }
                if (error != null) {
                    return new Step.End<>(error);
                }
                if (completed) {
                    return new Step.End<>(null);
                }
                if (firstRequestDue) {
                    firstRequestDue = false;
                    return new Step.Request<>();
                }
                long wait = idleDeadline - System.nanoTime();
                if (wait <= 0) {
                    return new Step.Ping<>();
                }
                wake.awaitNanos(wait);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Requests {@code n} more items. Writer thread only: at the start, and after a flush went through. */
    void request(long n) {
        Flow.Subscription s;
        lock.lock();
        try {
            s = subscription;
            if (s == null) {
                return;
            }
            outstanding += n; // before request(n): the items may arrive inside that call
        } finally {
            lock.unlock();
        }
        s.request(n);
    }

    /**
     * Marks the stream ended and forgets the subscription.
     *
     * @return the subscription to cancel, or {@code null} when the upstream ended by itself
     */
    Flow.Subscription finish() {
        lock.lock();
        try {
            finished = true;
            pending.clear();
            var s = completed || error != null ? null : subscription;
            subscription = null;
            return s;
        } finally {
            lock.unlock();
        }
    }
}
