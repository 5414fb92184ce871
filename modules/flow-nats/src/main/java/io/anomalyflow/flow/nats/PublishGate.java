package io.anomalyflow.flow.nats;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * A way for one producer of many appends to stop for good: once {@link #close()} has returned, no
 * publish that goes through this gate is under way, and none will start. {@link JetStreamAppender}
 * opens it only after a slot is free, so the long slot wait is never inside the gate, and closing
 * waits at most for one {@code publishAsync} call to return. Thread-safe.
 */
final class PublishGate {
    private final ReentrantLock lock = new ReentrantLock(); // not synchronized: callers may be virtual threads
    private volatile boolean closed; // written under the lock; read without it for a cheap early check

    /** Runs {@code publish} unless the gate is closed, holding the gate while it runs; {@code null} when closed. */
    <R> R ifOpen(Supplier<R> publish) {
        lock.lock();
        try {
            return closed ? null : publish.get();
        } finally {
            lock.unlock();
        }
    }

    /** Closes the gate, after the publish that may be going through it right now. Idempotent. */
    void close() {
        lock.lock();
        try {
            closed = true;
        } finally {
            lock.unlock();
        }
    }

    boolean isClosed() {
        return closed;
    }
}
