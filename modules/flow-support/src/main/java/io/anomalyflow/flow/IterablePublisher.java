package io.anomalyflow.flow;

import java.util.Iterator;
import java.util.Objects;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The one synchronous source of this toolkit: it emits what an {@link Iterator} yields, on the
 * thread that calls {@code request}. {@link Flows#fromIterable}, {@link Flows#range},
 * {@link Flows#generate} and {@link Flows#just} are all this class with a different iterator, so the
 * emit loop below exists once.
 *
 * <p><b>Cold and unicast:</b> every {@code subscribe} asks the factory for a fresh iterator, so each
 * subscriber sees the whole sequence from the start (§1.10, §1.11). Nothing is buffered: an item is
 * pulled from the iterator only when there is demand for it (§1.1), never before the first
 * {@code request} (an empty iterator completes at once, which needs no demand).
 *
 * <p>Failures of the iterator ({@code iterator()}, {@code hasNext()} or {@code next()} throwing, or a
 * {@code null} element) become {@code onError} (§1.4, §2.13 forbids signalling {@code null}).
 *
 * @param <T> the item type
 */
final class IterablePublisher<T> implements Flow.Publisher<T> {
    private final Supplier<? extends Iterator<? extends T>> iterators;

    /** @param iterators called once per subscription; must return a new iterator each time */
    IterablePublisher(Supplier<? extends Iterator<? extends T>> iterators) {
        this.iterators = Objects.requireNonNull(iterators, "iterators");
    }

    @Override
    public void subscribe(Flow.Subscriber<? super T> subscriber) {
        Objects.requireNonNull(subscriber, "subscriber"); // §1.9
        Iterator<? extends T> iterator;
        boolean hasNext;
        try {
            iterator = Objects.requireNonNull(iterators.get(), "the iterator factory returned null");
            hasNext = iterator.hasNext();
        } catch (Throwable e) {
            Subscriptions.error(subscriber, e); // §1.9: onSubscribe first, even to fail
            return;
        }
        if (!hasNext) {
            Subscriptions.complete(subscriber); // §1.5: an empty stream completes without demand
            return;
        }
        subscriber.onSubscribe(new IteratorSubscription<>(subscriber, iterator));
    }

    /**
     * The emit loop, guarded by the demand counter itself (as in the reactive-streams
     * {@code RangePublisher} example): only the caller whose {@code request} lifts {@code requested}
     * from 0 runs {@link #drain()}; everyone else just adds demand and leaves. While the loop runs,
     * {@code requested} stays above 0, so a {@code request} from inside {@code onNext} only adds and
     * returns — recursion depth is 1 (§3.3) and all signals come from one thread at a time (§1.3).
     *
     * <p>{@code cancel()} and a bad {@code request(n ≤ 0)} go through the same door: they record a
     * flag and then "request 1" to wake (or become) the drainer, which acts on the flag. That keeps
     * {@code onError} serial with {@code onNext} (§3.9 via §1.3) and lets the drainer, the only
     * thread that touches {@code downstream} and {@code iterator}, drop them (§3.13).
     */
    static final class IteratorSubscription<T> implements Flow.Subscription {
        private final AtomicLong requested = new AtomicLong();
        // Written in the constructor, later read and cleared only by the drainer; the CAS on
        // `requested` that hands the loop from one thread to the next makes them visible.
        private Flow.Subscriber<? super T> downstream;
        private Iterator<? extends T> iterator;
        private volatile boolean cancelled;
        private final BadRequest badRequest = new BadRequest();

        IteratorSubscription(Flow.Subscriber<? super T> downstream, Iterator<? extends T> iterator) {
            this.downstream = downstream;
            this.iterator = iterator;
        }

        @Override
        public void request(long n) {
            if (badRequest.record(n)) {
                n = 1; // §3.9, signalled by the drainer
            }
            if (Demand.add(requested, n) == 0) {
                drain();
            }
        }

        @Override
        public void cancel() {
            cancelled = true; // §3.5/§3.7: idempotent, a second cancel finds the loop already stopped
            if (Demand.add(requested, 1) == 0) {
                drain(); // nobody is emitting: become the drainer just to drop the references
            }
        }

        private void drain() {
            long emitted = 0;
            long wanted = requested.get();
            for (;;) {
                while (emitted != wanted) {
                    if (cancelled) {
                        release();
                        return;
                    }
                    var bad = badRequest.get();
                    if (bad != null) {
                        terminate(bad);
                        return;
                    }
                    T item;
                    try {
                        item = Objects.requireNonNull(iterator.next(), "the source produced a null item");
                    } catch (Throwable e) {
                        terminate(e);
                        return;
                    }
                    emit(item);
                    emitted++;
                    if (cancelled) { // cancelled from inside onNext: ask the iterator nothing more
                        release();
                        return;
                    }
                    boolean more;
                    try {
                        more = iterator.hasNext();
                    } catch (Throwable e) {
                        terminate(e);
                        return;
                    }
                    if (!more) {
                        terminate(null); // complete eagerly: no need to wait for demand (§1.5)
                        return;
                    }
                }
                wanted = requested.get();
                if (wanted == emitted) {
                    // Give back what was emitted; if someone requested meanwhile, keep going.
                    wanted = Demand.produced(requested, emitted);
                    if (wanted == 0) {
                        return; // the next 0→n request starts a new drainer
                    }
                    emitted = 0;
                }
                // We leave the loop with `requested` still > 0 on every terminal path above, so no
                // later request or cancel can ever start another drainer (§3.6, §3.7).
            }
        }

        private void emit(T item) {
            try {
                downstream.onNext(item);
            } catch (RuntimeException | Error e) {
                // §2.13: a subscriber must not throw; when it does, treat the subscription as
                // cancelled, and let the throw reach whoever called request().
                release();
                throw e;
            }
        }

        /** Completes ({@code error == null}) or fails, unless cancelled first (§1.8, §1.7). */
        private void terminate(Throwable error) {
            var subscriber = downstream;
            boolean wasCancelled = cancelled;
            release();
            if (wasCancelled) {
                return;
            }
            if (error == null) {
                subscriber.onComplete();
            } else {
                subscriber.onError(error);
            }
        }

        private void release() {
            cancelled = true;
            downstream = null; // §3.13
            iterator = null;
        }
    }
}
