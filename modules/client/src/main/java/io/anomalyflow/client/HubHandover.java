package io.anomalyflow.client;

import io.anomalyflow.flow.MulticastHub;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.function.Consumer;

/**
 * The last stage of one pipeline run: passes the run's signals to its hub unchanged, and on the
 * run's end first lets the supervisor swap in the next hub, then lets the old hub end its readers,
 * then completes {@code ended}. It adds no demand logic of its own: the hub requests, and signals
 * arrive serially (§1.3) from the publisher's thread and are forwarded in that order, so the hub
 * sees a legal sequence (§1.9 onSubscribe first, §1.7 one terminal signal).
 *
 * @param hub     the run's hub
 * @param replace called with {@code hub} when the run ends, before the hub hears of it
 * @param ended   completed with the run's error, or {@code null} when it completed
 */
record HubHandover(MulticastHub<Detection> hub, Consumer<MulticastHub<Detection>> replace,
        CompletableFuture<Throwable> ended) implements Flow.Subscriber<Detection> {
    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        hub.onSubscribe(subscription);
    }

    @Override
    public void onNext(Detection item) {
        hub.onNext(item);
    }

    @Override
    public void onError(Throwable throwable) {
        replace.accept(hub);
        hub.onError(throwable);
        ended.complete(throwable);
    }

    @Override
    public void onComplete() {
        replace.accept(hub);
        hub.onComplete();
        ended.complete(null);
    }
}
