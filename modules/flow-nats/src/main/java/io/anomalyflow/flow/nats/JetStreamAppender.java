package io.anomalyflow.flow.nats;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.PublishOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Appends messages to JetStream with {@code publishAsync}, at most {@code maxInFlight} of them waiting
 * for their ack at any time. Meant to be shared: one per gateway, used by all its requests.
 *
 * <p>jnats puts no limit on unacknowledged async publishes, so a {@link Semaphore} does: a slot is taken
 * before the publish and given back when its outcome is known. When all slots are taken,
 * {@link #append} <b>blocks the calling thread</b> (call it from a virtual thread) for at most
 * {@code ackTimeout} plus one sweep period (see below; so that a slot freed by a late-firing timeout still
 * reaches a caller who started waiting right after that publish), then fails fast: that wait is the
 * backpressure NATS puts on the caller.
 *
 * <p>Every returned future completes, at the latest {@code ackTimeout} plus one sweep period
 * ({@code ackTimeout/8}, clamped to 10..250 ms) after the publish: with a {@link PublishAck} when the
 * message is in the store, else with a {@link NotAcknowledgedException} saying whether the message may
 * still be stored. Ack timeouts are not one timer task per message: every publish joins one FIFO queue,
 * which is ordered by deadline because all share the same {@code ackTimeout}, and one periodic sweep
 * fails the expired, unsettled ones at its head. So a timeout fires up to one sweep period late.
 *
 * <p>Futures complete, in the order their outcomes are known, on this appender's single completion
 * thread (a long-lived virtual thread), never on a NATS connection thread, so a dependent stage does not
 * stall the connection that must deliver the acks. It delays the completion of every later future,
 * though, of every caller: a dependent stage must be quick and must never block, neither on another
 * future of this appender (it would wait for itself) nor in {@link #append} waiting for a slot (as a
 * synchronous publisher driven from there would); use an {@code *Async} stage for such work.
 *
 * <p>Publishing while disconnected fails at once when the connection has no reconnect buffer (see
 * {@link NatsConnections}); with a buffer the message waits in it and may be acked or time out.
 */
public final class JetStreamAppender implements AutoCloseable {
    private final JetStream js;
    private final int maxInFlight;
    private final Duration ackTimeout;
    private final long sweepPeriodNanos;
    private final Semaphore slots;
    private final ScheduledThreadPoolExecutor timer;
    private final ExecutorService completions;
    /** Unsettled (and some settled) publishes in append order, which is deadline order; guarded by {@link #queueLock}. */
    private final ArrayDeque<Pending> deadlines = new ArrayDeque<>();
    private final ReentrantLock queueLock = new ReentrantLock(); // not synchronized: callers may be virtual threads
    private volatile boolean closed;

    private JetStreamAppender(Connection nc, int maxInFlight, Duration ackTimeout) {
        Objects.requireNonNull(nc, "nc");
        Objects.requireNonNull(ackTimeout, "ackTimeout");
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be >= 1: " + maxInFlight);
        }
        if (ackTimeout.isNegative() || ackTimeout.isZero()) {
            throw new IllegalArgumentException("ackTimeout must be positive: " + ackTimeout);
        }
        try {
            this.js = nc.jetStream();
        } catch (IOException e) {
            throw new UncheckedIOException("JetStream is not available on " + nc.getConnectedUrl(), e);
        }
        this.maxInFlight = maxInFlight;
        this.ackTimeout = ackTimeout;
        this.slots = new Semaphore(maxInFlight);
        this.timer = new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().daemon().name("jetstream-ack-timer").factory());
        // One thread completes all futures: handing a completion over costs a queue offer (and an unpark when
        // idle) instead of starting a virtual thread per message, and keeps callbacks off the NATS threads.
        this.completions = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("jetstream-ack-completer").factory());
        this.sweepPeriodNanos = sweepPeriodNanos(ackTimeout);
        this.timer.scheduleWithFixedDelay(this::sweep, sweepPeriodNanos, sweepPeriodNanos, TimeUnit.NANOSECONDS);
    }

    /** {@code ackTimeout/8}, clamped to 10..250 ms: how late at most a timeout fires. */
    static long sweepPeriodNanos(Duration ackTimeout) {
        return Math.clamp(ackTimeout.toNanos() / 8, TimeUnit.MILLISECONDS.toNanos(10), TimeUnit.MILLISECONDS.toNanos(250));
    }

    /**
     * An appender publishing through {@code nc} (which it does not own or close).
     *
     * @param maxInFlight at most this many messages wait for their ack at once
     * @param ackTimeout  how long a message may wait for its ack, and a caller for a free slot
     */
    public static JetStreamAppender create(Connection nc, int maxInFlight, Duration ackTimeout) {
        return new JetStreamAppender(nc, maxInFlight, ackTimeout);
    }

    /**
     * Publishes {@code message}, waiting at most {@code ackTimeout} plus one sweep period for a free slot first.
     *
     * @return a future that always completes within {@code ackTimeout} plus one sweep period (and scheduling
     *     delays) after the publish: with the
     *     ack, or with a {@link NotAcknowledgedException}
     */
    public CompletableFuture<PublishAck> append(OutgoingMessage message) {
        Objects.requireNonNull(message, "message");
        var refused = takeSlot();
        return refused != null ? refused : publish(message);
    }

    /**
     * As {@link #append(OutgoingMessage)}, but publishes only while {@code gate} is open: a gate closed
     * while this waited for a slot gives the slot back and fails the future, as never sent.
     */
    CompletableFuture<PublishAck> append(OutgoingMessage message, PublishGate gate) {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(gate, "gate");
        var refused = takeSlot();
        if (refused != null) {
            return refused;
        }
        var published = gate.ifOpen(() -> publish(message));
        if (published == null) {
            slots.release();
            return CompletableFuture.failedFuture(new NotAcknowledgedException("not sent: its publisher was cancelled", false, null));
        }
        return published;
    }

    /** Waits for a free slot: {@code null} once one is taken, else the failed future to return. */
    private CompletableFuture<PublishAck> takeSlot() {
        if (closed) {
            return CompletableFuture.failedFuture(new NotAcknowledgedException("the appender is closed", false, null));
        }
        try {
            long slotWait = ackTimeout.toNanos() + sweepPeriodNanos;
            if (!slots.tryAcquire(slotWait, TimeUnit.NANOSECONDS)) {
                return CompletableFuture.failedFuture(new NotAcknowledgedException("no publish slot became free within "
                        + TimeUnit.NANOSECONDS.toMillis(slotWait) + " ms (" + maxInFlight + " messages are waiting for their acks)", false, null));
            }
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(
                    new NotAcknowledgedException("interrupted while waiting for a publish slot", false, e));
        }
    }

    /** Publishes with the slot already taken; the slot is given back when the outcome is known. */
    private CompletableFuture<PublishAck> publish(OutgoingMessage message) {
        var pending = enqueue();
        try {
            var options = message.messageId() == null ? null : PublishOptions.builder().messageId(message.messageId()).build();
            js.publishAsync(message.subject(), message.headers(), message.data(), options).whenComplete(pending::settleFromNats);
        } catch (RuntimeException e) {
            // Never sent: disconnected without a reconnect buffer, closed connection, bad subject.
            pending.settle(null, new NotAcknowledgedException("not sent: " + e.getMessage(), false, e));
        }
        return pending.result;
    }

    /** Messages published and not yet acknowledged, failed or timed out (for metrics). */
    public int inFlight() {
        return maxInFlight - slots.availablePermits();
    }

    public int maxInFlight() {
        return maxInFlight;
    }

    public Duration ackTimeout() {
        return ackTimeout;
    }

    /**
     * A new pending publish at the tail of {@link #deadlines}. The deadline is taken under the lock so that
     * queue order is deadline order even with concurrent callers. Settled entries at the head are dropped
     * here too: acks mostly arrive in order, so the queue stays about as long as the in-flight window
     * (one stuck message lets it grow to the messages appended within one {@code ackTimeout}).
     */
    private Pending enqueue() {
        queueLock.lock();
        try {
            for (var head = deadlines.peekFirst(); head != null && head.settled.get(); head = deadlines.peekFirst()) {
                deadlines.pollFirst();
            }
            var pending = new Pending(System.nanoTime() + ackTimeout.toNanos());
            deadlines.addLast(pending);
            return pending;
        } finally {
            queueLock.unlock();
        }
    }

    /** The periodic timeout check (on the timer thread): fails the expired publishes at the head of the queue, drops settled ones. */
    private void sweep() {
        sweep(false);
    }

    /** @param all fail every unsettled publish, expired or not (on close) */
    private void sweep(boolean all) {
        long now = System.nanoTime();
        while (true) {
            Pending head;
            queueLock.lock();
            try {
                head = deadlines.peekFirst();
                if (head == null || (!all && !head.settled.get() && head.deadline - now > 0)) {
                    return; // the rest of the queue expires later
                }
                deadlines.pollFirst();
            } finally {
                queueLock.unlock();
            }
            if (!head.settled.get()) { // settle() re-checks: the ack may win the race, then this is a no-op
                head.settle(null, new NotAcknowledgedException("no ack from JetStream within " + ackTimeout.toMillis() + " ms", true, null));
            }
        }
    }

    /**
     * Refuses new appends, waits (at most {@code ackTimeout} plus one sweep period, which bounds every
     * in-flight message, plus 1 s) for the outcomes of those in flight, fails any still unsettled after that,
     * then stops the appender's threads. Does not close the connection.
     */
    @Override
    public void close() {
        closed = true;
        try {
            if (slots.tryAcquire(maxInFlight, ackTimeout.toNanos() + sweepPeriodNanos + TimeUnit.SECONDS.toNanos(1), TimeUnit.NANOSECONDS)) {
                slots.release(maxInFlight);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        timer.shutdownNow();
        sweep(true); // only after a timed-out wait: fail what is left rather than leave it pending
        completions.close(); // waits for the futures being completed right now
    }

    /** One message's way from publish to outcome; settles exactly once, whichever comes first. */
    private final class Pending {
        final CompletableFuture<PublishAck> result = new CompletableFuture<>();
        final AtomicBoolean settled = new AtomicBoolean();
        /** {@link System#nanoTime()} after which the sweep fails it. */
        final long deadline;

        Pending(long deadline) {
            this.deadline = deadline;
        }

        void settleFromNats(io.nats.client.api.PublishAck ack, Throwable error) {
            settle(ack == null ? null : new PublishAck(ack.getSeqno(), ack.isDuplicate()), error == null ? null : notAcknowledged(error));
        }

        void settle(PublishAck ack, NotAcknowledgedException error) {
            if (!settled.compareAndSet(false, true)) {
                return; // the ack after a timeout, or the timeout after the ack
            }
            Runnable complete = () -> {
                if (error == null) {
                    result.complete(ack);
                } else {
                    result.completeExceptionally(error);
                }
            };
            try {
                completions.execute(complete);
            } catch (RejectedExecutionException e) {
                complete.run(); // closed after a timed-out wait: complete here rather than never
            }
            // Only now: close() waits for all slots, then for the completion tasks handed over above.
            slots.release();
        }
    }

    private static NotAcknowledgedException notAcknowledged(Throwable error) {
        var cause = error;
        // jnats wraps API errors in a plain RuntimeException, futures in CompletionException
        while ((cause instanceof CompletionException || cause instanceof ExecutionException
                || cause.getClass() == RuntimeException.class) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof NotAcknowledgedException n) {
            return n;
        }
        if (cause instanceof JetStreamApiException api) {
            return new NotAcknowledgedException("JetStream refused the message: " + api.getMessage(), false, api);
        }
        return new NotAcknowledgedException("no ack from JetStream: " + cause, true, cause);
    }
}
