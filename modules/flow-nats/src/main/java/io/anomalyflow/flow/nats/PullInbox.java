package io.anomalyflow.flow.nats;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.MessageHandler;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The mailbox of one subscription: everything the server sends to its pulls, plus wake-ups from
 * {@code request} and {@code cancel}, in one queue the subscription's thread waits on.
 *
 * <p>Each pull gets its own reply subject {@code <inbox>.<pull id>}, all caught by one wildcard
 * subscription; status messages (timeouts, errors) arrive on that subject, so they name their pull. The
 * NATS dispatcher thread only parses ({@link Arrival}) and appends here, and never blocks, so a slow
 * subscriber cannot stall the connection; the queue is bounded by the demand, because messages only
 * come in answer to pulls. The
 * time of the last message of any kind is kept for the missed-heartbeat check; heartbeats themselves
 * are not queued. A {@link ReentrantLock}, not {@code synchronized}, because the waiter is a virtual
 * thread (a JDK 21 virtual thread waiting inside {@code synchronized} pins its carrier).
 */
final class PullInbox implements MessageHandler {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Arrival> queue = new ArrayDeque<>();
    private final boolean subscriberAcks;
    private boolean poked;
    private volatile long lastActivity = System.nanoTime();
    private String prefix;
    private Dispatcher dispatcher;

    /** {@code subscriberAcks}: deliveries carry their ack subject to the subscriber. */
    PullInbox(boolean subscriberAcks) {
        this.subscriberAcks = subscriberAcks;
    }

    /** Subscribes {@code <new inbox>.*} on its own dispatcher. */
    void open(Connection nc) {
        prefix = nc.createInbox();
        dispatcher = nc.createDispatcher(this);
        dispatcher.subscribe(prefix + ".*");
    }

    /** Unsubscribes and stops the dispatcher thread; later messages are dropped by the client (§3.12). */
    void close(Connection nc) {
        if (dispatcher != null && nc.getStatus() != Connection.Status.CLOSED) {
            try {
                nc.closeDispatcher(dispatcher);
            } catch (IllegalStateException | IllegalArgumentException ignored) {
                // the connection closed meanwhile, or the dispatcher is already closed: nothing to undo
            }
        }
        dispatcher = null;
    }

    String replySubject(long pullId) {
        return prefix + "." + pullId;
    }

    /** The pull id in a status message's subject, or -1. */
    long pullIdOf(String subject) {
        if (subject == null || prefix == null || !subject.startsWith(prefix) || subject.length() <= prefix.length() + 1) {
            return -1;
        }
        try {
            return Long.parseLong(subject, prefix.length() + 1, subject.length(), 10);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public void onMessage(Message message) {
        lastActivity = System.nanoTime();
        if (message.isStatusMessage() && message.getStatus().isHeartbeat()) {
            return; // its only news is "alive", recorded above
        }
        var arrival = Arrival.of(message, subscriberAcks); // before the lock, on this otherwise idle thread
        lock.lock();
        try {
            queue.addLast(arrival);
            changed.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Wakes the waiting thread: demand or cancellation changed. */
    void poke() {
        lock.lock();
        try {
            poked = true;
            changed.signal();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The next message, or {@code null} once poked or after {@code waitNanos} ({@code Long.MAX_VALUE}:
     * no time limit).
     */
    Arrival poll(long waitNanos) throws InterruptedException {
        lock.lock();
        try {
            long left = waitNanos;
            while (queue.isEmpty() && !poked) {
                if (waitNanos == Long.MAX_VALUE) {
                    changed.await();
                } else if (left <= 0) {
                    return null;
                } else {
                    left = changed.awaitNanos(left);
                }
            }
            poked = false;
            return queue.pollFirst();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes whatever is queued: right after a {@link #poll}, so a batch costs one lock, and at close,
     * so a work-queue reader can NAK what it never handed over.
     */
    List<Arrival> drain() {
        lock.lock();
        try {
            var all = List.copyOf(queue);
            queue.clear();
            return all;
        } finally {
            lock.unlock();
        }
    }

    boolean isEmpty() {
        lock.lock();
        try {
            return queue.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    long lastActivity() {
        return lastActivity;
    }
}
