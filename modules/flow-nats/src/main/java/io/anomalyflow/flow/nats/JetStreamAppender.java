package io.anomalyflow.flow.nats;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.PublishOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Appends messages to JetStream with {@code publishAsync}, at most {@code maxInFlight} of them waiting
 * for their ack at any time. Meant to be shared: one per gateway, used by all its requests.
 *
 * <p>jnats puts no limit on unacknowledged async publishes, so a {@link Semaphore} does: a slot is taken
 * before the publish and given back when its outcome is known. When all slots are taken,
 * {@link #append} <b>blocks the calling thread</b> (call it from a virtual thread) for at most
 * {@code ackTimeout}, then fails fast: that wait is the backpressure NATS puts on the caller.
 *
 * <p>Every returned future completes, at the latest {@code ackTimeout} after the publish: with a
 * {@link PublishAck} when the message is in the store, else with a {@link NotAcknowledgedException}
 * saying whether the message may still be stored. Futures complete on a virtual thread of this
 * appender, never on a NATS connection thread, so dependent stages may block, or append again, without
 * stalling the connection that must deliver the acks.
 *
 * <p>Publishing while disconnected fails at once when the connection has no reconnect buffer (see
 * {@link NatsConnections}); with a buffer the message waits in it and may be acked or time out.
 */
public final class JetStreamAppender implements AutoCloseable {
    private final JetStream js;
    private final int maxInFlight;
    private final Duration ackTimeout;
    private final Semaphore slots;
    private final ScheduledThreadPoolExecutor timer;
    private final ExecutorService completions;
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
        this.timer.setRemoveOnCancelPolicy(true); // an acked message's timeout leaves the queue at once
        this.completions = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("jetstream-ack-", 1).factory());
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
     * Publishes {@code message}, waiting at most {@code ackTimeout} for a free slot first.
     *
     * @return a future that always completes within about {@code ackTimeout} after the publish: with the
     *     ack, or with a {@link NotAcknowledgedException}
     */
    public CompletableFuture<PublishAck> append(OutgoingMessage message) {
        Objects.requireNonNull(message, "message");
        if (closed) {
            return CompletableFuture.failedFuture(new NotAcknowledgedException("the appender is closed", false, null));
        }
        try {
            if (!slots.tryAcquire(ackTimeout.toNanos(), TimeUnit.NANOSECONDS)) {
                return CompletableFuture.failedFuture(new NotAcknowledgedException("no publish slot became free within "
                        + ackTimeout.toMillis() + " ms (" + maxInFlight + " messages are waiting for their acks)", false, null));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(
                    new NotAcknowledgedException("interrupted while waiting for a publish slot", false, e));
        }
        var pending = new Pending();
        pending.timeout = timer.schedule(() -> pending.settle(null, new NotAcknowledgedException(
                "no ack from JetStream within " + ackTimeout.toMillis() + " ms", true, null)),
                ackTimeout.toNanos(), TimeUnit.NANOSECONDS);
        try {
            var options = message.messageId() == null ? null : PublishOptions.builder().messageId(message.messageId()).build();
            js.publishAsync(message.subject(), message.data(), options).whenComplete(pending::settleFromNats);
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
     * Refuses new appends, waits (at most {@code ackTimeout}, which bounds every in-flight message) for
     * the outcomes of those in flight, then stops the appender's threads. Does not close the connection.
     */
    @Override
    public void close() {
        closed = true;
        try {
            if (slots.tryAcquire(maxInFlight, ackTimeout.toNanos() + TimeUnit.SECONDS.toNanos(1), TimeUnit.NANOSECONDS)) {
                slots.release(maxInFlight);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        timer.shutdownNow();
        completions.close(); // waits for the futures being completed right now
    }

    /** One message's way from publish to outcome; settles exactly once, whichever comes first. */
    private final class Pending {
        final CompletableFuture<PublishAck> result = new CompletableFuture<>();
        final AtomicBoolean settled = new AtomicBoolean();
        volatile ScheduledFuture<?> timeout;

        void settleFromNats(io.nats.client.api.PublishAck ack, Throwable error) {
            settle(ack == null ? null : new PublishAck(ack.getSeqno(), ack.isDuplicate()), error == null ? null : notAcknowledged(error));
        }

        void settle(PublishAck ack, NotAcknowledgedException error) {
            if (!settled.compareAndSet(false, true)) {
                return; // the ack after a timeout, or the timeout after the ack
            }
            var t = timeout;
            if (t != null) {
                t.cancel(false);
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
