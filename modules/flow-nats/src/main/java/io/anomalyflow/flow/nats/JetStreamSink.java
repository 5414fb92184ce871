package io.anomalyflow.flow.nats;

import java.lang.System.Logger.Level;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A {@link Flow.Subscriber} that appends every item to JetStream through a shared
 * {@link JetStreamAppender}, with at most {@code window} items waiting for their ack.
 *
 * <p>The window is its demand: it requests {@code window} items at subscribe time and one more each
 * time an item's outcome is known, so a producer faster than NATS is held back by NATS (§1.1 guarantees
 * no more than {@code window} items are ever unresolved). {@code onNext} may block while the shared
 * appender has no free slot (at most its {@code ackTimeout}); the upstream should run on virtual threads.
 *
 * <p>Every item gets exactly one {@link PublishOutcome}: {@code Acked} only with JetStream's ack in hand
 * (never for an unacknowledged message), else {@code Failed}. {@code onOutcome} is called once per item,
 * never concurrently, in completion order (not index order), on an appender thread; it should be quick.
 * {@link #completion()} completes after the upstream terminated <i>and</i> every outcome is in: with the
 * totals after {@code onComplete}, exceptionally with the upstream's error after {@code onError}.
 *
 * @param <T> the item type
 */
public final class JetStreamSink<T> implements Flow.Subscriber<T> {
    private static final System.Logger LOG = System.getLogger(JetStreamSink.class.getName());

    private final JetStreamAppender appender;
    private final Function<T, OutgoingMessage> toMessage;
    private final int window;
    private final Consumer<PublishOutcome<T>> onOutcome;
    private final AtomicReference<Flow.Subscription> upstream = new AtomicReference<>();
    private final AtomicInteger outstanding = new AtomicInteger();
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

    /** Completes once the upstream terminated and every item has its outcome. */
    public CompletableFuture<SinkSummary> completion() {
        return completion;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        Objects.requireNonNull(subscription, "subscription"); // §2.13
        if (!upstream.compareAndSet(null, subscription)) {
            subscription.cancel(); // §2.5: one upstream only
            return;
        }
        subscription.request(window);
    }

    @Override
    public void onNext(T item) {
        Objects.requireNonNull(item, "item"); // §2.13
        if (done) {
            return;
        }
        long index = nextIndex++;
        outstanding.incrementAndGet();
        OutgoingMessage message;
        try {
            message = Objects.requireNonNull(toMessage.apply(item), "toMessage returned null");
        } catch (RuntimeException e) {
            settle(new PublishOutcome.Failed<>(index, item, e));
            return;
        }
        appender.append(message).whenComplete((ack, e) -> settle(e == null
                ? new PublishOutcome.Acked<>(index, item, ack)
                : new PublishOutcome.Failed<>(index, item, e instanceof CompletionException c && c.getCause() != null ? c.getCause() : e)));
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
        if (outstanding.decrementAndGet() == 0 && done) {
            finish();
        } else if (!done) {
            upstream.get().request(1); // the slot is free again
        }
    }

    private void finishIfIdle() {
        if (outstanding.get() == 0) {
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
