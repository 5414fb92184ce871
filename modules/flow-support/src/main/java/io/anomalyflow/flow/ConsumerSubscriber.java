package io.anomalyflow.flow;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * A subscriber that hands every item to a {@link Consumer}, with bounded prefetch, and reports the
 * end of the stream through {@link #completion()}. Made by {@link Subscribers#consumer} and
 * {@link Pipe#forEach}.
 *
 * <p><b>Demand:</b> it requests {@code prefetch} items on subscribe, then, like the JDK's
 * {@code Flow.SampleSubscriber}, tops up in batches: after every {@code limit = prefetch − prefetch/4}
 * consumed items (75 %) it requests {@code limit} more. At most {@code prefetch} items are ever
 * outstanding, and the upstream rarely runs dry while the consumer works. It buffers nothing itself:
 * the consumer runs inside {@code onNext}, on the publisher's thread.
 *
 * <p><b>Ending:</b> {@link #completion()} completes normally on {@code onComplete}, exceptionally
 * with the upstream's error on {@code onError}, exceptionally with the consumer's exception when the
 * consumer throws, and is cancelled by {@link #cancel()}. Whenever the future ends before the stream
 * did — including when the caller cancels or completes the future itself — the subscription is
 * cancelled, so a consumer failure never escapes from {@code onNext} (§2.13) and the upstream stops.
 * Items that arrive after that are ignored (§2.8).
 *
 * <p><b>Rules kept:</b> a second {@code onSubscribe} is cancelled (§2.5), as is a subscription that
 * arrives after {@link #cancel()}; {@code null} arguments throw {@code NullPointerException}
 * (§2.13); signals are expected serially (§1.3), as every compliant publisher sends them. An
 * instance subscribes once (§2.12).
 *
 * @param <T> the item type
 */
public final class ConsumerSubscriber<T> implements Flow.Subscriber<T> {
    private final Consumer<? super T> onItem;
    private final int prefetch;
    private final int limit;
    private final CompletableFuture<Void> completion = new CompletableFuture<>();
    /** null before onSubscribe; CANCELLED once cancelled or terminated (then it pins nothing). */
    private final AtomicReference<Flow.Subscription> subscription = new AtomicReference<>();
    /** Items consumed since the last top-up; touched only inside onNext (§1.3). */
    private int consumed;

    private ConsumerSubscriber(Consumer<? super T> onItem, int prefetch) {
        this.onItem = Objects.requireNonNull(onItem, "onItem");
        if (prefetch < 1) {
            throw new IllegalArgumentException("prefetch must be >= 1: " + prefetch);
        }
        this.prefetch = prefetch;
        this.limit = prefetch - (prefetch >> 2);
    }

    static <T> ConsumerSubscriber<T> create(Consumer<? super T> onItem, int prefetch) {
        var subscriber = new ConsumerSubscriber<T>(onItem, prefetch);
        // One path for every early end: consumer failure, cancel(), or a caller completing the future.
        subscriber.completion.whenComplete((ignored, error) -> subscriber.cancelSubscription());
        return subscriber;
    }

    /**
     * Completes when the stream ends; see the class description. Cancelling or completing it
     * cancels the subscription.
     */
    public CompletableFuture<Void> completion() {
        return completion;
    }

    /** Stops the stream: cancels the subscription (now, or as soon as it arrives) and the future. Idempotent. */
    public void cancel() {
        completion.cancel(false);
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        Objects.requireNonNull(s, "subscription"); // §2.13
        if (!subscription.compareAndSet(null, s)) {
            s.cancel(); // §2.5, or we were cancelled before the subscription came
            return;
        }
        s.request(prefetch); // a cancel() racing with this finds s and cancels it; this request is then a no-op (§3.6)
    }

    @Override
    public void onNext(T item) {
        Objects.requireNonNull(item, "item"); // §2.13
        if (completion.isDone()) {
            return; // cancelled or failed: late items are expected and dropped (§2.8)
        }
        try {
            onItem.accept(item);
        } catch (Throwable e) {
            completion.completeExceptionally(e); // cancels the subscription, see create()
            return;
        }
        if (++consumed == limit) {
            consumed = 0;
            subscription.get().request(limit);
        }
    }

    @Override
    public void onError(Throwable error) {
        Objects.requireNonNull(error, "error"); // §2.13
        subscription.set(Subscriptions.CANCELLED); // terminated: nothing left to cancel (§1.6)
        completion.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
        subscription.set(Subscriptions.CANCELLED);
        completion.complete(null);
    }

    private void cancelSubscription() {
        var s = subscription.getAndSet(Subscriptions.CANCELLED);
        if (s != null) {
            s.cancel(); // CANCELLED.cancel() is a no-op, so a second call costs nothing (§3.7)
        }
    }

    @Override
    public String toString() {
        return "ConsumerSubscriber[prefetch=" + prefetch + ", done=" + completion.isDone() + "]";
    }
}
