package io.anomalyflow.flow;

import java.util.Objects;
import java.util.concurrent.Flow;
import java.util.function.Predicate;

/**
 * {@code filter}: passes on the items a predicate accepts. Cold if its source is; one independent
 * {@link FilterSubscriber} per subscriber (§1.10). Buffers nothing.
 *
 * <p>Demand: downstream requests pass through unchanged, and every dropped item is replaced by a
 * {@code request(1)} upstream — otherwise a subscriber that asked for 10 and got 7 would wait
 * forever for the 3 the filter swallowed. That {@code request(1)} is made from inside
 * {@code onNext}; a compliant source does not recurse on it (§3.3), so a million dropped items in a
 * row cost no stack. With unbounded demand ({@code Long.MAX_VALUE}) the extra requests are no-ops at
 * the source (§3.17).
 *
 * <p>A predicate that throws cancels the upstream and fails the stream; upstream signals after that
 * are ignored (§1.7).
 *
 * @param <T> the item type
 */
final class FilterPublisher<T> implements Flow.Publisher<T> {
    private final Flow.Publisher<? extends T> source;
    private final Predicate<? super T> predicate;

    FilterPublisher(Flow.Publisher<? extends T> source, Predicate<? super T> predicate) {
        this.source = Objects.requireNonNull(source, "source");
        this.predicate = Objects.requireNonNull(predicate, "predicate");
    }

    @Override
    public void subscribe(Flow.Subscriber<? super T> subscriber) {
        Objects.requireNonNull(subscriber, "subscriber"); // §1.9
        source.subscribe(new FilterSubscriber<>(subscriber, predicate));
    }

    static final class FilterSubscriber<T> extends RelaySubscriber<T, T> {
        private final Predicate<? super T> predicate;

        FilterSubscriber(Flow.Subscriber<? super T> downstream, Predicate<? super T> predicate) {
            super(downstream);
            this.predicate = predicate;
        }

        @Override
        protected void next(T item) {
            boolean keep;
            try {
                keep = predicate.test(item);
            } catch (Throwable e) {
                fail(e);
                return;
            }
            if (keep) {
                downstream.onNext(item);
            } else {
                upstream.request(1); // replenish: the downstream's demand for this slot is still open
            }
        }
    }
}
