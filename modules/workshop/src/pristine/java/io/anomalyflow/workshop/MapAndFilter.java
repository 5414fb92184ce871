package io.anomalyflow.workshop;

import io.anomalyflow.workshop.api.OperatorStep;
import java.util.concurrent.Flow;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Step 07 (workshop/steps/07-map-filter.md): the two pass-through operators. Each subscriber of
 * the result gets its own operator subscriber, which is the source's {@code Subscriber} and the
 * downstream's {@code Subscription} at once.
 */
public final class MapAndFilter implements OperatorStep {
    /** Creates the step. */
    public MapAndFilter() {
    }

    @Override
    public <T, R> Flow.Publisher<R> map(Flow.Publisher<T> source, Function<? super T, ? extends R> mapper) {
        // TODO 07a: a null subscriber is a NullPointerException (§1.9).
        return subscriber -> source.subscribe(new MapSubscriber<T, R>(subscriber, mapper));
    }

    @Override
    public <T> Flow.Publisher<T> filter(Flow.Publisher<T> source, Predicate<? super T> predicate) {
        // TODO 07a: as for map.
        return subscriber -> source.subscribe(new FilterSubscriber<T>(subscriber, predicate));
    }

    /** Upstream's subscriber, downstream's subscription. */
    private static final class MapSubscriber<T, R> implements Flow.Subscriber<T>, Flow.Subscription {
        private final Flow.Subscriber<? super R> downstream;
        private final Function<? super T, ? extends R> mapper;
        private Flow.Subscription upstream;
        private boolean done;

        MapSubscriber(Flow.Subscriber<? super R> downstream, Function<? super T, ? extends R> mapper) {
            this.downstream = downstream;
            this.mapper = mapper;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            // TODO 07b: keep the upstream subscription (a second one is cancelled, §2.5), then
            //           hand this object to the downstream as its subscription.
        }

        @Override
        public void onNext(T item) {
            // TODO 07c: ignore it when done; pass mapper.apply(item) on. If the mapper throws or
            //           returns null: cancel the upstream, signal onError once, and be done (§1.7,
            //           §2.13): later upstream signals are ignored.
        }

        @Override
        public void onError(Throwable throwable) {
            // TODO 07d: pass it on, unless done.
        }

        @Override
        public void onComplete() {
            // TODO 07d: pass it on, unless done.
        }

        @Override
        public void request(long n) {
            // TODO 07e: forward n unchanged: the upstream enforces §3.9 and §3.17.
        }

        @Override
        public void cancel() {
            // TODO 07e: cancel the upstream.
        }
    }

    /** As {@link MapSubscriber}, keeping only what the predicate accepts. */
    private static final class FilterSubscriber<T> implements Flow.Subscriber<T>, Flow.Subscription {
        private final Flow.Subscriber<? super T> downstream;
        private final Predicate<? super T> predicate;
        private Flow.Subscription upstream;
        private boolean done;

        FilterSubscriber(Flow.Subscriber<? super T> downstream, Predicate<? super T> predicate) {
            this.downstream = downstream;
            this.predicate = predicate;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            // TODO 07b: as for map.
        }

        @Override
        public void onNext(T item) {
            // TODO 07f: pass on what the predicate accepts. For an item it drops, the downstream
            //           asked for one and got none: request(1) upstream, or the stream stalls.
            //           A throwing predicate fails the stream as a throwing mapper does.
        }

        @Override
        public void onError(Throwable throwable) {
            // TODO 07d: as for map.
        }

        @Override
        public void onComplete() {
            // TODO 07d: as for map.
        }

        @Override
        public void request(long n) {
            // TODO 07e: as for map.
        }

        @Override
        public void cancel() {
            // TODO 07e: as for map.
        }
    }
}
