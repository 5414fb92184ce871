package io.anomalyflow.bench;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.function.Consumer;

/**
 * The last stage of a baseline pipeline: hands each item to {@code onItem} (a JMH
 * {@code Blackhole}), counts it, requests like our {@code ConsumerSubscriber} ({@link Window}), and completes {@link #done()} with the count. Used for {@code SubmissionPublisher}
 * baselines, whose signals are serial per subscriber (§1.3), so plain fields suffice.
 */
final class CountingSink<T> implements Flow.Subscriber<T> {
    private final Consumer<? super T> onItem;
    private final Window window;
    private final CompletableFuture<Long> done = new CompletableFuture<>();
    private long count;

    CountingSink(Consumer<? super T> onItem, int window) {
        this.onItem = onItem;
        this.window = new Window(window);
    }

    /** Completes with the number of items seen, or with the upstream's error. */
    CompletableFuture<Long> done() {
        return done;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        window.subscribe(subscription);
    }

    @Override
    public void onNext(T item) {
        onItem.accept(item);
        count++;
        window.consumed();
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
