package io.anomalyflow.bench;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;

/**
 * {@link CountingSink} for Reactor: hands each item to {@code onItem}, counts it, and requests as our
 * {@code ConsumerSubscriber} does ({@code size}, then 75 % of it each time that many were consumed), so
 * the Reactor baselines pay the same demand traffic as ours.
 */
final class ReactorSink<T> extends BaseSubscriber<T> {
    private final Consumer<? super T> onItem;
    private final int size;
    private final int limit;
    private final CompletableFuture<Long> done = new CompletableFuture<>();
    private long count;
    private int consumed;

    /** {@code size} 0: a stuck reader that never asks for anything. */
    ReactorSink(Consumer<? super T> onItem, int size) {
        this.onItem = onItem;
        this.size = size;
        this.limit = size - (size >> 2);
    }

    /** Completes with the number of items seen, or with the upstream's error. */
    CompletableFuture<Long> done() {
        return done;
    }

    long count() {
        return count;
    }

    @Override
    protected void hookOnSubscribe(Subscription subscription) {
        if (size > 0) {
            subscription.request(size);
        }
    }

    @Override
    protected void hookOnNext(T value) {
        onItem.accept(value);
        count++;
        if (++consumed == limit) {
            consumed = 0;
            request(limit);
        }
    }

    @Override
    protected void hookOnComplete() {
        done.complete(count);
    }

    @Override
    protected void hookOnError(Throwable throwable) {
        done.completeExceptionally(throwable);
    }
}
