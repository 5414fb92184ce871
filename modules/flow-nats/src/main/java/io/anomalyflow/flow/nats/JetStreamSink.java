package io.anomalyflow.flow.nats;

import io.anomalyflow.flow.SerialUpstream;
import java.lang.System.Logger.Level;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A {@link Flow.Subscriber} that appends every item to JetStream through a shared
 * {@link JetStreamAppender}, with at most {@code window} items waiting for their ack.
 *
 * <p>The window is its demand: it requests {@code window} items at subscribe time and, as outcomes come
 * in, as many more as have an outcome (in steps of a quarter window, so that handing a request over
 * to the sink's thread is paid once per step, not per item), so a producer faster than NATS is held
 * back by NATS (§1.1 guarantees no more than {@code window} items are ever unresolved). {@code onNext} may block while the shared
 * appender has no free slot (at most its {@code ackTimeout}).
 *
 * <p>Threads: outcomes arrive on the appender's completion thread, which must never block (every
 * other append's completion waits behind it), and {@code onNext} may block. So the sink never requests
 * from there: its requests go through a {@link SerialUpstream} that forwards them on a virtual thread of
 * its own, which is then where a synchronous upstream runs {@code onNext}. That also keeps the calls on
 * the subscription serial (§2.7), whichever thread freed a slot.
 *
 * <p>Every item gets exactly one {@link PublishOutcome}: {@code Acked} only with JetStream's ack in hand
 * (never for an unacknowledged message), else {@code Failed}. {@code onOutcome} is called once per item,
 * never concurrently, in completion order (not index order), on the appender's completion thread (on the
 * {@code onNext} thread for an item that fails at once); it must be quick and must not block.
 * {@link #completion()} completes after the upstream terminated <i>and</i> every outcome is in: with the
 * totals after {@code onComplete}, exceptionally with the upstream's error after {@code onError}.
 *
 * <p>{@link #cancel()} stops it for good: once it returned, nothing more of this sink is published.
 * Items it had taken but not published yet fail ({@link NotAcknowledgedException}, never sent); items
 * that still arrive (§2.8) are dropped without an outcome; the completion then carries the totals of
 * the items that had one.
 *
 * @param <T> the item type
 */
public final class JetStreamSink<T> implements Flow.Subscriber<T> {
    private static final System.Logger LOG = System.getLogger(JetStreamSink.class.getName());
    /** Where requests are forwarded: a virtual thread per burst of demand, never the caller's. */
    private static final Executor DEMAND = task -> Thread.ofVirtual().name("jetstream-sink-demand").start(task);

    private final JetStreamAppender appender;
    private final Function<T, OutgoingMessage> toMessage;
    private final int window;
    private final Consumer<PublishOutcome<T>> onOutcome;
    private final SerialUpstream upstream = SerialUpstream.create(DEMAND);
    private final PublishGate gate = new PublishGate();
    private final AtomicInteger outstanding = new AtomicInteger();
    private final AtomicInteger freed = new AtomicInteger(); // slots with an outcome, not yet requested again
    private final int step;
    private final CompletableFuture<SinkSummary> completion = new CompletableFuture<>();
    private final ReentrantLock outcomes = new ReentrantLock();
    private long nextIndex; // only onNext touches it, and onNext calls are serial (§1.3)
    private volatile boolean done;
    private volatile Throwable error;
    // guarded by outcomes
    private long acknowledged;
    private long duplicates;
    private long failed;
    private long firstSeq;
    private long lastSeq;

    private JetStreamSink(JetStreamAppender appender, Function<T, OutgoingMessage> toMessage, int window,
                          Consumer<PublishOutcome<T>> onOutcome) {
        this.appender = Objects.requireNonNull(appender, "appender");
        this.toMessage = Objects.requireNonNull(toMessage, "toMessage");
        this.onOutcome = Objects.requireNonNull(onOutcome, "onOutcome");
        if (window < 1) {
            throw new IllegalArgumentException("window must be >= 1: " + window);
        }
        this.window = window;
        this.step = Math.max(1, window / 4);
    }

    /**
     * A sink for one upstream (§2.12: do not reuse it).
     *
     * @param toMessage turns an item into the message to append; a throw or {@code null} fails that item only
     * @param window    at most this many items wait for their ack
     * @param onOutcome told of each item's outcome
     */
    public static <T> JetStreamSink<T> create(JetStreamAppender appender, Function<T, OutgoingMessage> toMessage,
                                              int window, Consumer<PublishOutcome<T>> onOutcome) {
        return new JetStreamSink<>(appender, toMessage, window, onOutcome);
    }

    /** Completes once the upstream terminated (or {@link #cancel()} was called) and every item taken has its outcome. */
    public CompletableFuture<SinkSummary> completion() {
        return completion;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        Objects.requireNonNull(subscription, "subscription"); // §2.13
        if (!upstream.set(subscription)) {
            subscription.cancel(); // §2.5: one upstream only
            return;
        }
        upstream.request(window);
    }

    @Override
    public void onNext(T item) {
        Objects.requireNonNull(item, "item"); // §2.13
        outstanding.incrementAndGet(); // before the check, so cancel() cannot see 0 while this item slips through
        if (done || gate.isClosed()) {
            outstanding.decrementAndGet(); // §2.8: may still arrive after cancel; never published, no outcome
            finishIfIdle();
            return;
        }
        long index = nextIndex++;
        OutgoingMessage message;
        try {
            message = Objects.requireNonNull(toMessage.apply(item), "toMessage returned null");
        } catch (RuntimeException e) {
            settle(new PublishOutcome.Failed<>(index, item, e));
            return;
        }
        appender.append(message, gate).whenComplete((ack, error) -> settle(outcome(index, item, ack, error)));
    }

    /**
     * Stops the sink: after this returns, nothing more of it is published, and the upstream is
     * cancelled. Idempotent, from any thread.
     */
    public void cancel() {
        gate.close();
        upstream.cancel();
        finishIfIdle();
    }

    @Override
    public void onError(Throwable throwable) {
        Objects.requireNonNull(throwable, "throwable"); // §2.13
        error = throwable;
        done = true;
        finishIfIdle();
    }

    @Override
    public void onComplete() {
        done = true;
        finishIfIdle();
    }

    private void settle(PublishOutcome<T> outcome) {
        outcomes.lock();
        try {
            switch (outcome) {
                case PublishOutcome.Acked<T> a -> {
                    acknowledged++;
                    if (a.ack().duplicate()) {
                        duplicates++;
                    }
                    long seq = a.ack().sequence();
                    firstSeq = firstSeq == 0 ? seq : Math.min(firstSeq, seq);
                    lastSeq = Math.max(lastSeq, seq);
                }
                case PublishOutcome.Failed<T> f -> failed++;
            }
            try {
                onOutcome.accept(outcome);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "onOutcome threw for item " + outcome.index() + "; counted anyway", e);
            }
        } finally {
            outcomes.unlock();
        }
        if (outstanding.decrementAndGet() == 0 && ended()) {
            finish();
        } else if (!ended() && freed.incrementAndGet() >= step) {
            // No stall below the step: the window's other slots are requested or unresolved, and free up later.
            int n = freed.getAndSet(0);
            if (n > 0) {
                upstream.request(n); // forwarded on the sink's own thread, never this one
            }
        }
    }

    /** The appender completes its futures itself (no dependent stage in between), so {@code error} is its own. */
    private static <T> PublishOutcome<T> outcome(long index, T item, PublishAck ack, Throwable error) {
        return error == null ? new PublishOutcome.Acked<>(index, item, ack) : new PublishOutcome.Failed<>(index, item, error);
    }

    private boolean ended() {
        return done || gate.isClosed();
    }

    private void finishIfIdle() {
        if (outstanding.get() == 0 && ended()) {
            finish();
        }
    }

    private void finish() {
        SinkSummary summary;
        outcomes.lock();
        try {
            summary = new SinkSummary(acknowledged, duplicates, failed, firstSeq, lastSeq);
        } finally {
            outcomes.unlock();
        }
        var e = error;
        if (e != null) {
            completion.completeExceptionally(e);
        } else {
            completion.complete(summary);
        }
    }
}
