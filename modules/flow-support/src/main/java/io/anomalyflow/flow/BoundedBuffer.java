package io.anomalyflow.flow;

import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A bounded FIFO of items waiting for one subscriber's demand. When full it makes room by its
 * {@link OverflowPolicy}: evict the oldest (the default), refuse the newest, or
 * give up. It never blocks the producer and counts what it dropped.
 *
 * <p>Thread-safe: the producer offers while the subscriber's drain polls, so every access takes a
 * small lock (a {@code ReentrantLock}, not {@code synchronized}, so that virtual threads on JDK 21
 * never pin a carrier here). After {@link #clear()} it refuses items, so a cancelled subscriber's
 * buffer cannot keep an item that raced with the cancel.
 *
 * @param <T> the item type
 */
final class BoundedBuffer<T> {
    private final int capacity;
    private final OverflowPolicy policy;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<T> queue = new ArrayDeque<>();
    private final AtomicLong dropped = new AtomicLong();
    private boolean closed; // guarded by lock

    BoundedBuffer(int capacity, OverflowPolicy policy) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1: " + capacity);
        }
        this.capacity = capacity;
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    /**
     * Adds {@code item}, making room when full.
     *
     * @return the item dropped to make room ({@code item} itself under DROP_NEWEST), or {@code null}
     * @throws OverflowPolicy.OverflowException when full under FAIL; the buffer is then cleared
     */
    T offer(T item) {
        lock.lock();
        try {
            if (closed) {
                return null;
            }
            if (queue.size() < capacity) {
                queue.offer(item);
                return null;
            }
            switch (policy) {
                case DROP_OLDEST -> {
                    var evicted = queue.poll();
                    queue.offer(item);
                    dropped.incrementAndGet();
                    return evicted;
                }
                case DROP_NEWEST -> {
                    dropped.incrementAndGet();
                    return item;
                }
                default -> {
                    closed = true;
                    queue.clear();
                    throw new OverflowPolicy.OverflowException(capacity);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** The oldest item, or {@code null} when empty. */
    T poll() {
        lock.lock();
        try {
            return queue.poll();
        } finally {
            lock.unlock();
        }
    }

    boolean isEmpty() {
        return size() == 0;
    }

    int size() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    /** Drops everything and refuses later offers (not counted as drops: nobody wants them). */
    void clear() {
        lock.lock();
        try {
            closed = true;
            queue.clear();
        } finally {
            lock.unlock();
        }
    }

    /** Items dropped by the overflow policy so far. */
    long dropped() {
        return dropped.get();
    }
}
