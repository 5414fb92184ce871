package io.anomalyflow.workshop;

import io.anomalyflow.workshop.api.BufferStep;
import java.util.ArrayDeque;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Step 11 (workshop/steps/11-drop-oldest-buffer.md): a bounded buffer right in front of one slow
 * subscriber. It asks its source for everything, so the source never waits for this subscriber;
 * it keeps at most {@code capacity} items and evicts the oldest when another arrives.
 */
public final class DropOldestBuffer implements BufferStep {
    /** Creates the step. */
    public DropOldestBuffer() {
    }

    @Override
    public <T> Flow.Publisher<T> dropOldest(Flow.Publisher<T> source, int capacity) {
        // TODO 11a: a null subscriber is a NullPointerException (§1.9).
        return subscriber -> source.subscribe(new Buffered<>(subscriber, capacity));
    }

    /**
     * Upstream's subscriber, downstream's subscription. Suggested shape: a drain loop. Every signal
     * records its state, then calls {@link #drain()}; only the thread that moves {@code wip} from 0
     * emits, so the downstream's signals are serial (§1.3) and a {@code request} from inside
     * {@code onNext} does not recurse (§3.3).
     */
    private static final class Buffered<T> implements Flow.Subscriber<T>, Flow.Subscription {
        private final Flow.Subscriber<? super T> downstream;
        private final int capacity;
        private final ArrayDeque<T> queue = new ArrayDeque<>(); // guard it: onNext and drain race
        private final AtomicLong requested = new AtomicLong();
        private final AtomicInteger wip = new AtomicInteger();
        private volatile Flow.Subscription upstream;
        private volatile boolean done;
        private volatile Throwable error;
        private volatile boolean cancelled;

        Buffered(Flow.Subscriber<? super T> downstream, int capacity) {
            this.downstream = downstream;
            this.capacity = capacity;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            // TODO 11b: keep it (§2.5), hand this object downstream, then request Long.MAX_VALUE.
        }

        @Override
        public void onNext(T item) {
            // TODO 11c: add to the queue; when it holds more than capacity, drop the oldest. drain().
        }

        @Override
        public void onError(Throwable throwable) {
            // TODO 11d: record it, drain(). Choose: deliver it at once or after the buffered items.
        }

        @Override
        public void onComplete() {
            // TODO 11d: record it, drain(): completion comes after the buffered items.
        }

        @Override
        public void request(long n) {
            // TODO 11e: n <= 0: cancel upstream and signal IllegalArgumentException (§3.9) from
            //           the drain. Otherwise add n, capped at Long.MAX_VALUE (§3.17), then drain().
        }

        @Override
        public void cancel() {
            // TODO 11f: idempotent (§3.5): set cancelled, cancel upstream, let drain() clear the queue.
        }

        private void drain() {
            // TODO 11g: if (wip.getAndIncrement() != 0) return; then loop: emit while requested
            //           allows and the queue has items; terminal when done and empty; cancelled:
            //           clear and stop; finally subtract what you handled from wip and exit at 0.
        }
    }
}
