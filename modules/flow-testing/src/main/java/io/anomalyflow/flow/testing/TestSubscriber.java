package io.anomalyflow.flow.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A subscriber for tests that records what it receives and checks the rules a publisher must keep
 * towards it: never more items than requested (§1.1), signals one at a time (§1.3), nothing after a
 * terminal signal (§1.7), exactly one {@code onSubscribe} first (§1.9, §2.5), no {@code null}s (§2.13).
 * Violations are recorded, never thrown from an {@code on*} method (§2.13), and reported by
 * {@link #assertNoViolations()}.
 *
 * <p>It requests {@code initialRequest} on subscribe (0 for none); tests then call
 * {@link #request(long)} and {@link #cancel()} from any thread. The {@code await*} methods block
 * with a bounded timeout, so a stalled publisher fails the test instead of hanging it.
 *
 * @param <T> the item type
 */
public final class TestSubscriber<T> implements Flow.Subscriber<T> {
    private final long initialRequest;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final List<T> items = new ArrayList<>();
    private final List<String> violations = new ArrayList<>();
    private final AtomicReference<Flow.Subscription> subscription = new AtomicReference<>();
    private final AtomicReference<Thread> signalThread = new AtomicReference<>();
    private final AtomicInteger signalDepth = new AtomicInteger();
    private long requested;
    private Throwable error;
    private boolean completed;
    private int subscribeCalls;

    private TestSubscriber(long initialRequest) {
        if (initialRequest < 0) {
            throw new IllegalArgumentException("initialRequest must be >= 0: " + initialRequest);
        }
        this.initialRequest = initialRequest;
    }

    /** A subscriber that requests {@code Long.MAX_VALUE} at once. */
    public static <T> TestSubscriber<T> create() {
        return new TestSubscriber<>(Long.MAX_VALUE);
    }

    /** A subscriber that requests {@code initialRequest} (possibly 0) at once. */
    public static <T> TestSubscriber<T> create(long initialRequest) {
        return new TestSubscriber<>(initialRequest);
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        enter("onSubscribe");
        try {
            lock.lock();
            try {
                subscribeCalls++;
                if (s == null) {
                    violations.add("§2.13: onSubscribe(null)");
                    return;
                }
                if (subscribeCalls > 1) {
                    violations.add("§2.5/§1.9: onSubscribe called " + subscribeCalls + " times");
                    s.cancel();
                    return;
                }
            } finally {
                lock.unlock();
            }
            subscription.set(s);
            lock.lock();
            try {
                changed.signalAll(); // wakes awaitSubscribed, which would otherwise sleep out its timeout
            } finally {
                lock.unlock();
            }
            if (initialRequest > 0) {
                request(initialRequest);
            }
        } finally {
            leave();
        }
    }

    @Override
    public void onNext(T item) {
        enter("onNext");
        lock.lock();
        try {
            checkSubscribedAndLive("onNext(" + item + ")");
            if (item == null) {
                violations.add("§2.13: onNext(null)");
            }
            if (requested == 0) {
                violations.add("§1.1: onNext(" + item + ") without outstanding demand (item #" + (items.size() + 1) + ")");
            } else if (requested != Long.MAX_VALUE) {
                requested--;
            }
            items.add(item);
            changed.signalAll();
        } finally {
            lock.unlock();
            leave();
        }
    }

    @Override
    public void onError(Throwable throwable) {
        enter("onError");
        lock.lock();
        try {
            checkSubscribedAndLive("onError(" + throwable + ")");
            if (throwable == null) {
                violations.add("§2.13: onError(null)");
            }
            if (error == null && !completed) {
                error = throwable;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
            leave();
        }
    }

    @Override
    public void onComplete() {
        enter("onComplete");
        lock.lock();
        try {
            checkSubscribedAndLive("onComplete()");
            if (error == null) {
                completed = true;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
            leave();
        }
    }

    /** Requests {@code n} more (passed through unchecked, so tests can send 0 or negatives). */
    public TestSubscriber<T> request(long n) {
        lock.lock();
        try {
            if (n > 0) {
                requested = TestDemand.addCap(requested, n);
            }
        } finally {
            lock.unlock();
        }
        var s = subscription.get();
        if (s == null) {
            throw new IllegalStateException("not subscribed yet");
        }
        s.request(n);
        return this;
    }

    /** Cancels the subscription (when there is one). */
    public TestSubscriber<T> cancel() {
        var s = subscription.get();
        if (s != null) {
            s.cancel();
        }
        return this;
    }

    /** A snapshot of the items received so far. */
    public List<T> values() {
        lock.lock();
        try {
            return List.copyOf(items);
        } finally {
            lock.unlock();
        }
    }

    public int count() {
        lock.lock();
        try {
            return items.size();
        } finally {
            lock.unlock();
        }
    }

    /** The error received, or {@code null}. */
    public Throwable error() {
        lock.lock();
        try {
            return error;
        } finally {
            lock.unlock();
        }
    }

    public boolean isCompleted() {
        lock.lock();
        try {
            return completed;
        } finally {
            lock.unlock();
        }
    }

    public boolean isTerminated() {
        lock.lock();
        try {
            return completed || error != null;
        } finally {
            lock.unlock();
        }
    }

    public boolean isSubscribed() {
        return subscription.get() != null;
    }

    /** Waits until at least {@code n} items arrived or a terminal signal came; fails on timeout. */
    public TestSubscriber<T> awaitCount(int n, Duration timeout) {
        return awaitUntil(() -> items.size() >= n || completed || error != null,
                "at least " + n + " items", timeout);
    }

    /** Waits for onComplete or onError; fails on timeout. */
    public TestSubscriber<T> awaitTerminated(Duration timeout) {
        return awaitUntil(() -> completed || error != null, "a terminal signal", timeout);
    }

    /** Waits for onSubscribe; fails on timeout. */
    public TestSubscriber<T> awaitSubscribed(Duration timeout) {
        return awaitUntil(() -> subscription.get() != null, "onSubscribe", timeout);
    }

    /** Fails unless the items received so far equal {@code expected}, in order. */
    @SafeVarargs
    public final TestSubscriber<T> assertValues(T... expected) {
        return assertValues(List.of(expected));
    }

    /** Fails unless the items received so far equal {@code expected}, in order. */
    public TestSubscriber<T> assertValues(List<T> expected) {
        var actual = values();
        if (!actual.equals(expected)) {
            throw new AssertionError("expected items " + abbreviate(expected) + " but got " + abbreviate(actual));
        }
        return this;
    }

    /** Fails unless onComplete was received (and no error). */
    public TestSubscriber<T> assertComplete() {
        lock.lock();
        try {
            if (!completed) {
                throw new AssertionError("expected onComplete, got " + (error != null ? "onError(" + error + ")" : "no terminal signal"));
            }
            return this;
        } finally {
            lock.unlock();
        }
    }

    /** Fails unless an error of the given type was received. */
    public TestSubscriber<T> assertError(Class<? extends Throwable> type) {
        var e = error();
        if (!type.isInstance(e)) {
            throw new AssertionError("expected onError(" + type.getSimpleName() + "), got " + e, e);
        }
        return this;
    }

    /** Fails unless no terminal signal was received. */
    public TestSubscriber<T> assertNotTerminated() {
        if (isTerminated()) {
            throw new AssertionError("expected no terminal signal, got " + (isCompleted() ? "onComplete" : "onError(" + error() + ")"));
        }
        return this;
    }

    /** Fails when any Reactive Streams rule was seen broken towards this subscriber. */
    public TestSubscriber<T> assertNoViolations() {
        lock.lock();
        try {
            if (!violations.isEmpty()) {
                throw new AssertionError("Reactive Streams rules broken: " + violations);
            }
            return this;
        } finally {
            lock.unlock();
        }
    }

    /** The rule violations seen so far (empty when the publisher behaved). */
    public List<String> violations() {
        lock.lock();
        try {
            return List.copyOf(violations);
        } finally {
            lock.unlock();
        }
    }

    private TestSubscriber<T> awaitUntil(java.util.function.BooleanSupplier condition, String what, Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (!condition.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what
                            + "; received " + items.size() + " items, completed=" + completed + ", error=" + error);
                }
                changed.awaitNanos(left);
            }
            return this;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + what, e);
        } finally {
            lock.unlock();
        }
    }

    private void checkSubscribedAndLive(String signal) {
        if (subscribeCalls == 0) {
            violations.add("§1.9: " + signal + " before onSubscribe");
        }
        if (completed || error != null) {
            violations.add("§1.7: " + signal + " after a terminal signal");
        }
    }

    /**
     * §1.3 check: a signal from one thread while another thread is inside a signal. Re-entry on the
     * same thread (a synchronous source emitting from within {@code request} called in
     * {@code onSubscribe}) is legal and allowed here.
     */
    private void enter(String signal) {
        var me = Thread.currentThread();
        if (!signalThread.compareAndSet(null, me) && signalThread.get() != me) {
            lock.lock();
            try {
                violations.add("§1.3: " + signal + " on " + me.getName() + " while " + signalThread.get() + " was signalling");
            } finally {
                lock.unlock();
            }
            return;
        }
        signalDepth.incrementAndGet();
    }

    private void leave() {
        if (signalThread.get() == Thread.currentThread() && signalDepth.decrementAndGet() == 0) {
            signalThread.set(null);
        }
    }

    private static String abbreviate(List<?> list) {
        if (list.size() <= 20) {
            return list.toString();
        }
        return list.subList(0, 10) + "… (" + list.size() + " items) …" + list.subList(list.size() - 5, list.size());
    }
}
