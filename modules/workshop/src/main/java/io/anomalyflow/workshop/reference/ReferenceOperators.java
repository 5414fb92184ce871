package io.anomalyflow.workshop.reference;

import io.anomalyflow.flow.Flows;
import io.anomalyflow.workshop.api.OperatorStep;
import java.util.concurrent.Flow;
import java.util.function.Function;
import java.util.function.Predicate;

/** Step 07 by {@link Flows#map} and {@link Flows#filter} (flow-support: {@code MapPublisher}, {@code FilterPublisher}). */
public final class ReferenceOperators implements OperatorStep {
    /** Creates the adapter. */
    public ReferenceOperators() {
    }

    @Override
    public <T, R> Flow.Publisher<R> map(Flow.Publisher<T> source, Function<? super T, ? extends R> mapper) {
        return Flows.map(source, mapper);
    }

    @Override
    public <T> Flow.Publisher<T> filter(Flow.Publisher<T> source, Predicate<? super T> predicate) {
        return Flows.filter(source, predicate);
    }
}
