package io.anomalyflow.bench;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.function.Consumer;

/**
 * The last stage of a baseline pipeline: hands each item to {@code onItem} (a JMH
 * {@code Blackhole}), counts it, requests like our {@code ConsumerSubscriber} (a window, topped up
 * at 75 %), and completes {@link #done()} with the count. Used for {@code SubmissionPublisher}
 * baselines, whose signals are serial per subscriber (§1.3), so plain fields suffice.
 */
final class CountingSink<T> implements Flow.Subscriber<T> {
    private final Consumer<? super T> onItem;
    private final int window;
    private final int limit;
    private final CompletableFuture<Long> done = new CompletableFuture<>();
    private Flow.Subscription upstream;
    private long count;
    private int consumed;

    CountingSink(Consumer<? super T> onItem, int window) {
        this.onItem = onItem;
        this.window = window;
        this.limit = window - (window >> 2);
    }

    /** Completes with the number of items seen, or with the upstream's error. */
    CompletableFuture<Long> done() {
        return done;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        if (upstream != null) {
            subscription.cancel(); // §2.5
            return;
        }
        upstream = subscription;
        subscription.request(window);
    }

    @Override
    public void onNext(T item) {
        onItem.accept(item);
        count++;
        if (++consumed == limit) {
            consumed = 0;
            upstream.request(limit);
        }
    }

    @Override
    public void onError(Throwable throwable) {
        done.completeExceptionally(throwable);
    }

    @Override
    public void onComplete() {
        done.complete(count);
    }
}
