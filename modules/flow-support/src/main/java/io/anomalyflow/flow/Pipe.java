package io.anomalyflow.flow;

import java.util.Objects;
import java.util.concurrent.Flow;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A fluent, immutable wrapper that reads top to bottom:
 * <pre>{@code
 * var done = Pipe.from(Flows.range(1, 100))
 *         .map(n -> n * n)
 *         .filter(n -> n % 3 == 0)
 *         .take(5)
 *         .forEach(System.out::println)
 *         .completion();
 * }</pre>
 * Each step returns a new {@code Pipe} around the operator from {@link Flows}; nothing happens
 * until someone subscribes, and then every subscriber gets its own chain of operator stages
 * (§1.10). A {@code Pipe} is exactly as hot or cold, and as unicast or multicast, as the publisher it
 * starts from, and buffers nothing of its own. It is itself a {@link Flow.Publisher}, so it can be
 * handed to anything that takes one.
 *
 * @param <T> the item type at this point of the chain
 */
public final class Pipe<T> implements Flow.Publisher<T> {
    private final Flow.Publisher<? extends T> source;

    private Pipe(Flow.Publisher<? extends T> source) {
        this.source = Objects.requireNonNull(source, "source");
    }

    /** Starts a chain at {@code source} (returned as is when it already is a {@code Pipe}). */
    @SuppressWarnings("unchecked")
    public static <T> Pipe<T> from(Flow.Publisher<? extends T> source) {
        if (source instanceof Pipe<?> pipe) {
            return (Pipe<T>) pipe; // a Pipe only ever emits T to a Subscriber<? super T>, so this is safe
        }
        return new Pipe<>(source);
    }

    /** Applies {@code mapper} to each item ({@link Flows#map}). */
    public <R> Pipe<R> map(Function<? super T, ? extends R> mapper) {
        return new Pipe<>(Flows.map(source, mapper));
    }

    /** Keeps the items {@code predicate} accepts ({@link Flows#filter}). */
    public Pipe<T> filter(Predicate<? super T> predicate) {
        return new Pipe<>(Flows.filter(source, predicate));
    }

    /** The first {@code n} items, then completion ({@link Flows#take}). */
    public Pipe<T> take(long n) {
        return new Pipe<>(Flows.take(source, n));
    }

    @Override
    public void subscribe(Flow.Subscriber<? super T> subscriber) {
        Objects.requireNonNull(subscriber, "subscriber"); // §1.9
        source.subscribe(subscriber);
    }

    /**
     * Subscribes a {@link ConsumerSubscriber} with the default prefetch (256) and returns it: its
     * {@code completion()} tells when the stream ended, its {@code cancel()} stops it.
     */
    public ConsumerSubscriber<T> forEach(Consumer<? super T> onItem) {
        return forEach(onItem, Flow.defaultBufferSize());
    }

    /** As {@link #forEach(Consumer)}, keeping at most {@code prefetch} items requested ahead. */
    public ConsumerSubscriber<T> forEach(Consumer<? super T> onItem, int prefetch) {
        var subscriber = Subscribers.<T>consumer(onItem, prefetch);
        subscribe(subscriber);
        return subscriber;
    }
}
