package io.anomalyflow.flow;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.Flow;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The static entry points of the toolkit: sources ({@link #fromIterable}, {@link #range},
 * {@link #generate}, {@link #just}, {@link #empty}, {@link #error}) and operators ({@link #map},
 * {@link #filter}, {@link #take}). {@link Pipe} offers the same operators as a fluent chain.
 *
 * <p>Every source here is <b>cold and unicast</b>: each {@code subscribe} starts a new, independent
 * run from the beginning (§1.10, §1.11). Sources emit synchronously, on the thread that calls
 * {@code request}, never before the first request, and never more than requested (§1.1); they buffer
 * nothing. They enforce, towards their subscriber: {@code onSubscribe} before anything else (§1.9),
 * serial signals and bounded recursion even when {@code request} is called from {@code onNext}
 * (§1.3, §3.3), demand capped at {@code Long.MAX_VALUE} (§3.17), {@code onError(IllegalArgumentException)}
 * for {@code request(n ≤ 0)} (§3.9), and no reference to the subscriber kept after
 * {@code cancel} or a terminal signal (§3.13).
 *
 * <p>Operators are pass-through: they hold no items and forward demand as it comes (filter adds one
 * {@code request(1)} per dropped item). A user function that throws or returns {@code null} cancels
 * the upstream and fails the stream; anything the upstream sends afterwards is ignored (§1.7, §2.13).
 */
public final class Flows {
    private static final Flow.Publisher<Object> EMPTY = Subscriptions::complete;

    private Flows() {
    }

    /** The elements of {@code iterable}, one new {@code iterator()} per subscriber; a {@code null} element fails the stream. */
    public static <T> Flow.Publisher<T> fromIterable(Iterable<? extends T> iterable) {
        Objects.requireNonNull(iterable, "iterable");
        return new IterablePublisher<>(iterable::iterator);
    }

    /**
     * {@code count} consecutive longs from {@code start}.
     *
     * @throws IllegalArgumentException if {@code count < 0} or the last value would exceed {@code Long.MAX_VALUE}
     */
    public static Flow.Publisher<Long> range(long start, long count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0: " + count);
        }
        if (count > 0 && start > Long.MAX_VALUE - (count - 1)) {
            throw new IllegalArgumentException("range(" + start + ", " + count + ") overflows Long.MAX_VALUE");
        }
        return new IterablePublisher<>(() -> new RangeIterator(start, count));
    }

    /**
     * An infinite stream of {@code supplier.get()} values, one call per item and only on demand. A
     * supplier that throws or returns {@code null} fails the stream. Use {@link #take} to end it.
     * The one supplier serves every subscriber, possibly from several threads at once: a stateful
     * supplier (a counter) must be thread-safe, and then its subscribers share its sequence.
     */
    public static <T> Flow.Publisher<T> generate(Supplier<? extends T> supplier) {
        Objects.requireNonNull(supplier, "supplier");
        return new IterablePublisher<>(() -> new GenerateIterator<>(supplier));
    }

    /** The given items, in order. @throws NullPointerException if any item is {@code null} */
    @SafeVarargs
    @SuppressWarnings("varargs") // List.of only reads the array
    public static <T> Flow.Publisher<T> just(T... items) {
        return fromIterable(List.of(items));
    }

    /** Completes at once: {@code onSubscribe} then {@code onComplete}, no demand needed. */
    @SuppressWarnings("unchecked")
    public static <T> Flow.Publisher<T> empty() {
        return (Flow.Publisher<T>) EMPTY;
    }

    /** Fails at once: {@code onSubscribe} then {@code onError(error)} (§1.9), no demand needed. */
    public static <T> Flow.Publisher<T> error(Throwable error) {
        Objects.requireNonNull(error, "error");
        return subscriber -> Subscriptions.error(subscriber, error);
    }

    /** Applies {@code mapper} to each item. A throwing or {@code null}-returning mapper cancels upstream and fails the stream. */
    public static <T, R> Flow.Publisher<R> map(Flow.Publisher<? extends T> source, Function<? super T, ? extends R> mapper) {
        return new MapPublisher<>(source, mapper);
    }

    /** Keeps the items {@code predicate} accepts, requesting one more upstream for each dropped item. */
    public static <T> Flow.Publisher<T> filter(Flow.Publisher<? extends T> source, Predicate<? super T> predicate) {
        return new FilterPublisher<>(source, predicate);
    }

    /**
     * The first {@code n} items, then completion; the upstream is cancelled as soon as the
     * {@code n}-th item arrives, and never asked for more than {@code n} in total.
     *
     * @throws IllegalArgumentException if {@code n < 0}
     */
    public static <T> Flow.Publisher<T> take(Flow.Publisher<? extends T> source, long n) {
        return new TakePublisher<>(source, n);
    }

    /** {@code start, start+1, …}: boxed, but allocation-free apart from that. */
    private static final class RangeIterator implements Iterator<Long> {
        private long next;
        private long left;

        RangeIterator(long start, long count) {
            this.next = start;
            this.left = count;
        }

        @Override
        public boolean hasNext() {
            return left > 0;
        }

        @Override
        public Long next() {
            if (left <= 0) {
                throw new NoSuchElementException();
            }
            left--;
            return next++; // may wrap only after the last value, which is never read
        }
    }

    /** Never ends; each {@code next()} asks the supplier. */
    private record GenerateIterator<T>(Supplier<? extends T> supplier) implements Iterator<T> {
        @Override
        public boolean hasNext() {
            return true;
        }

        @Override
        public T next() {
            return Objects.requireNonNull(supplier.get(), "the generate() supplier returned null");
        }
    }
}
