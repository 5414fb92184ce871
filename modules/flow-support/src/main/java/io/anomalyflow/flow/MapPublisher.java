package io.anomalyflow.flow;

import java.util.Objects;
import java.util.concurrent.Flow;
import java.util.function.Function;

/**
 * {@code map}: applies a function to every item. Cold if its source is; one independent
 * {@link MapSubscriber} per subscriber (§1.10). Buffers nothing; demand passes through unchanged,
 * since one item in means one item out.
 *
 * <p>A mapper that throws, or returns {@code null} (which may not be signalled, §2.13), cancels the
 * upstream and fails the stream; upstream signals after that are ignored (§1.7).
 *
 * @param <T> the source's item type
 * @param <R> the mapped item type
 */
final class MapPublisher<T, R> implements Flow.Publisher<R> {
    private final Flow.Publisher<? extends T> source;
    private final Function<? super T, ? extends R> mapper;

    MapPublisher(Flow.Publisher<? extends T> source, Function<? super T, ? extends R> mapper) {
        this.source = Objects.requireNonNull(source, "source");
        this.mapper = Objects.requireNonNull(mapper, "mapper");
    }

    @Override
    public void subscribe(Flow.Subscriber<? super R> subscriber) {
        Objects.requireNonNull(subscriber, "subscriber"); // §1.9
        source.subscribe(new MapSubscriber<>(subscriber, mapper));
    }

    static final class MapSubscriber<T, R> extends RelaySubscriber<T, R> {
        private final Function<? super T, ? extends R> mapper;

        MapSubscriber(Flow.Subscriber<? super R> downstream, Function<? super T, ? extends R> mapper) {
            super(downstream);
            this.mapper = mapper;
        }

        @Override
        protected void next(T item) {
            R result;
            try {
                result = Objects.requireNonNull(mapper.apply(item), "the map() function returned null");
            } catch (Throwable e) {
                fail(e);
                return;
            }
            downstream.onNext(result);
        }
    }
}
