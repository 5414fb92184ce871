package io.anomalyflow.flow.testing;

import java.util.Objects;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * A cold publisher of {@code 0, 1, …, count−1} ({@code Long.MAX_VALUE}: endless) that emits
 * synchronously on demand, RangePublisher style (the 0→n transition of the demand counter
 * elects the emitter, §3.3), and records what its subscribers asked for.
 */
public final class SeqPublisher implements Flow.Publisher<Integer> {
    private final long count;
    private final LongConsumer pace;
    public final AtomicLong requested = new AtomicLong();
    public final AtomicLong emitted = new AtomicLong();
    public final AtomicLong maxOutstanding = new AtomicLong();
    public final AtomicInteger cancelled = new AtomicInteger();
    public final AtomicInteger subscribed = new AtomicInteger();

    public SeqPublisher(long count) {
        this(count, index -> { });
    }

    /** {@code pace} runs on the emitting thread before each item, e.g. to wait for other threads. */
    public SeqPublisher(long count, LongConsumer pace) {
        this.count = count;
        this.pace = pace;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super Integer> subscriber) {
        Objects.requireNonNull(subscriber);
        subscribed.incrementAndGet();
        subscriber.onSubscribe(new Seq(subscriber));
    }

    final class Seq implements Flow.Subscription {
        private final AtomicLong demand = new AtomicLong();
        private Flow.Subscriber<? super Integer> downstream;
        private long index;
        private volatile boolean done;

        Seq(Flow.Subscriber<? super Integer> downstream) {
            this.downstream = downstream;
        }

        @Override
        public void request(long n) {
            if (done) {
                return;
            }
            if (n <= 0) { // only tests call this with n ≤ 0; no concurrent emitter then
                done = true;
                downstream.onError(new IllegalArgumentException("§3.9: request(" + n + "), but n must be positive"));
                return;
            }
            long total = requested.accumulateAndGet(n, TestDemand::addCap);
            maxOutstanding.accumulateAndGet(total == Long.MAX_VALUE ? Long.MAX_VALUE : total - emitted.get(), Math::max);
            if (TestDemand.add(demand, n) != 0) {
                return; // someone is emitting and will see the new demand
            }
            for (;;) {
                long r = demand.get();
                long e = 0;
                while (e != r && index < count) {
                    if (done) {
                        return;
                    }
                    pace.accept(index);
                    emitted.incrementAndGet();
                    downstream.onNext((int) index++);
                    e++;
                }
                if (done) {
                    return;
                }
                if (index == count) {
                    done = true;
                    downstream.onComplete();
                    downstream = null;
                    return;
                }
                if (TestDemand.produced(demand, e) == 0) {
                    return;
                }
            }
        }

        @Override
        public void cancel() {
            if (!done) {
                done = true;
                cancelled.incrementAndGet();
            }
        }
    }
}
