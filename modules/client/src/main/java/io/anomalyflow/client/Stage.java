package io.anomalyflow.client;

import io.anomalyflow.flow.Flows;

import java.util.Objects;
import java.util.concurrent.Flow;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A point of the client's chain, extended with the map and filter operators of {@link ClientParts}:
 * {@link Flows#map} and {@link Flows#filter} (what {@code Pipe} uses) unless the parts give others.
 *
 * @param publisher the chain up to here
 * @param parts     whose map and filter the next stages use
 */
record Stage<T>(Flow.Publisher<T> publisher, ClientParts parts) {
    Stage {
        Objects.requireNonNull(publisher, "publisher");
        Objects.requireNonNull(parts, "parts");
    }

    /** Each item transformed by {@code mapper}. */
    <R> Stage<R> map(Function<? super T, ? extends R> mapper) {
        var next = parts.map() == null ? Flows.<T, R>map(publisher, mapper) : parts.map().<T, R>map(publisher, mapper);
        return new Stage<>(next, parts);
    }

    /** The items {@code predicate} accepts. */
    Stage<T> filter(Predicate<? super T> predicate) {
        var next = parts.filter() == null ? Flows.filter(publisher, predicate) : parts.filter().filter(publisher, predicate);
        return new Stage<>(next, parts);
    }
}
