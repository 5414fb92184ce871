package io.anomalyflow.workshop.api;

import java.util.concurrent.Flow;
import java.util.function.Function;
import java.util.function.Predicate;

/** Step 07: the two pass-through operators of the pipeline, map and filter. */
public interface OperatorStep {
    /** Each item of {@code source} transformed by {@code mapper}; a throwing mapper fails the stream. */
    <T, R> Flow.Publisher<R> map(Flow.Publisher<T> source, Function<? super T, ? extends R> mapper);

    /** The items of {@code source} that {@code predicate} accepts; a throwing predicate fails the stream. */
    <T> Flow.Publisher<T> filter(Flow.Publisher<T> source, Predicate<? super T> predicate);
}
