package io.anomalyflow.flow;

import java.util.Objects;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * {@code filter}: passes on the items a predicate accepts. Cold if its source is; one independent
 * {@link FilterSubscriber} per subscriber (§1.10). Buffers nothing.
 *
 * <p>Demand: downstream requests pass through unchanged, and every dropped item is replaced by a
 * request upstream — otherwise a subscriber that asked for 10 and got 7 would wait forever for the
 * 3 the filter swallowed. The replacements are made in runs, not one {@code request(1)} per drop:
 * the stage counts what it asked of its source ({@code requested}) and what arrived
 * ({@code received}), owes one item per drop, and pays what it owes when the source has no demand
 * left (it would send nothing more) or when {@value #BATCH} are owed (so a source that waits for
 * demand, a pull from a server, is not left idle for long). Both are checked after every item, so
 * the subscriber's open demand always reaches the source. A payment is made from inside
 * {@code onNext}; a compliant source does not recurse on it (§3.3), so a million dropped items in
 * a row cost no stack. With unbounded demand ({@code Long.MAX_VALUE}) the payments are no-ops at the
 * source (§3.17).
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

    /** Owed replacements paid at once at the latest: few enough that a waiting source soon hears of them. */
    static final int BATCH = 64;

    static final class FilterSubscriber<T> extends RelaySubscriber<T, T> {
        private final Predicate<? super T> predicate;
        /** All asked of the upstream: the downstream's requests and our replacements (capped, §3.17). */
        private final AtomicLong requested = new AtomicLong();
        /** Items the upstream sent; onNext only (§1.3), like {@code owed}. */
        private long received;
        /** Dropped items not yet replaced by a request. */
        private long owed;

        FilterSubscriber(Flow.Subscriber<? super T> downstream, Predicate<? super T> predicate) {
            super(downstream);
            this.predicate = predicate;
        }

        @Override
        public void request(long n) {
            if (n > 0) {
                Demand.add(requested, n); // before the source hears of it: received never passes requested
            }
            super.request(n); // n <= 0 too: §3.9 is the source's to signal
        }

        @Override
        protected void next(T item) {
            received++;
            boolean keep;
            try {
                keep = predicate.test(item);
            } catch (Throwable e) {
                fail(e);
                return;
            }
            if (keep) {
                downstream.onNext(item); // may request more, from inside: requested grows before we look
            } else {
                owed++;
            }
            if (owed != 0 && (owed == BATCH || requested.get() <= received)) {
                long n = owed;
                owed = 0;
                request(n); // replace: the downstream's demand for those slots is still open
            }
        }
    }
}
