package io.anomalyflow.testsupport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * What an {@link SseReader} received, over all its connections: the events in arrival order, every
 * id that did not exceed the one before it, the last id (for {@code Last-Event-ID}), and whether
 * reading has stopped for good. Written by the reader's thread, read and awaited by the test's.
 */
final class SseEventLog {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final List<SseReader.Event> events = new ArrayList<>();
    private final List<String> disorder = new ArrayList<>();
    private long lastId;
    private boolean ended;

    void add(SseReader.Event e) {
        lock.lock();
        try {
            if (e.id() >= 0) {
                if (e.id() <= lastId) {
                    disorder.add("id " + e.id() + " after " + lastId + " (event " + (events.size() + 1) + ")");
                }
                lastId = Math.max(lastId, e.id());
            }
            events.add(e);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void end() {
        lock.lock();
        try {
            ended = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    List<SseReader.Event> events() {
        lock.lock();
        try {
            return List.copyOf(events);
        } finally {
            lock.unlock();
        }
    }

    List<String> disorder() {
        lock.lock();
        try {
            return List.copyOf(disorder);
        } finally {
            lock.unlock();
        }
    }

    long lastId() {
        lock.lock();
        try {
            return lastId;
        } finally {
            lock.unlock();
        }
    }

    boolean ended() {
        lock.lock();
        try {
            return ended;
        } finally {
            lock.unlock();
        }
    }

    /** Waits until {@code n} events arrived; fails with what arrived on timeout or when reading stopped. */
    void awaitCount(int n, Duration timeout, Supplier<Object> failure) throws InterruptedException {
        long left = timeout.toNanos();
        lock.lock();
        try {
            while (events.size() < n) {
                if (left <= 0 || ended) {
                    var why = failure.get();
                    throw new AssertionError("expected " + n + " events within " + timeout + ", got " + events.size()
                            + (ended ? " (stream ended" + (why != null ? ": " + why : "") + ")" : ""));
                }
                left = changed.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Waits until reading stopped for good; returns whether it did within {@code timeout}. */
    boolean awaitEnd(Duration timeout) throws InterruptedException {
        long left = timeout.toNanos();
        lock.lock();
        try {
            while (!ended && left > 0) {
                left = changed.awaitNanos(left);
            }
            return ended;
        } finally {
            lock.unlock();
        }
    }
}
