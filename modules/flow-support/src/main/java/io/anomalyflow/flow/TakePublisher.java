package io.anomalyflow.flow;

import java.util.Objects;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code take(n)}: the first {@code n} items, then {@code onComplete}. Cold if its source is; one
 * independent {@link TakeSubscriber} per subscriber (§1.10). Buffers nothing. It is what makes an
 * infinite source ({@link Flows#generate}) finite.
 *
 * <p>Demand: forwarded, but capped so that the upstream is never asked for more than {@code n} in
 * total — a source with side effects per item (a NATS pull) does no work that would be thrown away.
 * The upstream is cancelled when the {@code n}-th item arrives, before it is passed on, so a
 * {@code request} from the downstream's last {@code onNext} reaches nobody. {@code take(0)} completes
 * at once without subscribing to the source.
 *
 * @param <T> the item type
 */
final class TakePublisher<T> implements Flow.Publisher<T> {
    private final Flow.Publisher<? extends T> source;
    private final long limit;

    TakePublisher(Flow.Publisher<? extends T> source, long limit) {
        this.source = Objects.requireNonNull(source, "source");
        if (limit < 0) {
            throw new IllegalArgumentException("take(n) needs n >= 0: " + limit);
        }
        this.limit = limit;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super T> subscriber) {
        Objects.requireNonNull(subscriber, "subscriber"); // §1.9
        if (limit == 0) {
            Subscriptions.complete(subscriber);
            return;
        }
        source.subscribe(new TakeSubscriber<>(subscriber, limit));
    }

    static final class TakeSubscriber<T> extends RelaySubscriber<T, T> {
        private final long limit;
        /** Total requested upstream so far, never above {@code limit}; any thread. */
        private final AtomicLong requested = new AtomicLong();
        /** Items still to pass on; touched only by upstream signals, which are serial (§1.3). */
        private long remaining;

        TakeSubscriber(Flow.Subscriber<? super T> downstream, long limit) {
            super(downstream);
            this.limit = limit;
            this.remaining = limit;
        }

        @Override
        protected void next(T item) {
            if (--remaining > 0) {
                downstream.onNext(item);
                return;
            }
            cancel(); // before the last onNext: nothing the downstream does in it reaches upstream
            downstream.onNext(item);
            downstream.onComplete();
        }

        @Override
        public void request(long n) {
            if (n <= 0) {
                super.request(n); // let the source signal §3.9, as it would without us
                return;
            }
            for (;;) {
                long sent = requested.get();
                if (sent >= limit) {
                    return;
                }
                long more = Math.min(n, limit - sent);
                if (requested.compareAndSet(sent, sent + more)) {
                    super.request(more);
                    return;
                }
            }
        }
    }
}
