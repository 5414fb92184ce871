package io.anomalyflow.flow;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Test-local helpers for the hub, buffer and SSE tests, beside the shared {@link ManualPublisher},
 * {@link Race} and {@link TckTimeouts}: a source that measures the demand it receives.
 */
public final class HubTestSupport {
    /** Generous: the build machine is 2 cores shared by several builds. */
    public static final Duration TIMEOUT = Duration.ofSeconds(20);

    private HubTestSupport() {
    }

    /**
     * A cold publisher of {@code 0, 1, …, count−1} ({@code Long.MAX_VALUE}: endless) that emits
     * synchronously on demand, RangePublisher style (the 0→n transition of the demand counter
     * elects the emitter, §3.3), and records what its subscribers asked for.
     */
    public static final class SeqPublisher implements Flow.Publisher<Integer> {
        private final long count;
        private final java.util.function.LongConsumer pace;
        public final AtomicLong requested = new AtomicLong();
        public final AtomicLong emitted = new AtomicLong();
        public final AtomicLong maxOutstanding = new AtomicLong();
        public final AtomicInteger cancelled = new AtomicInteger();
        public final AtomicInteger subscribed = new AtomicInteger();

        public SeqPublisher(long count) {
            this(count, index -> { });
        }

        /** {@code pace} runs on the emitting thread before each item, e.g. to wait for other threads. */
        public SeqPublisher(long count, java.util.function.LongConsumer pace) {
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
                    downstream.onError(Subscriptions.nonPositiveRequest(n));
                    return;
                }
                long total = requested.accumulateAndGet(n, Demand::addCap);
                maxOutstanding.accumulateAndGet(total == Long.MAX_VALUE ? Long.MAX_VALUE : total - emitted.get(), Math::max);
                if (Demand.add(demand, n) != 0) {
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
                    if (Demand.produced(demand, e) == 0) {
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

    /** A subscription that only records what it is asked. */
    public static final class RecordingSubscription implements Flow.Subscription {
        public final AtomicLong requested = new AtomicLong();
        public final AtomicInteger cancelled = new AtomicInteger();

        @Override
        public void request(long n) {
            requested.accumulateAndGet(n, Demand::addCap);
        }

        @Override
        public void cancel() {
            cancelled.incrementAndGet();
        }
    }

    /** Asserts that {@code items} is {@code first, first+1, …} (a contiguous run, each once). */
    public static void assertContiguous(List<Integer> items, String who) {
        for (int i = 1; i < items.size(); i++) {
            if (items.get(i) != items.get(i - 1) + 1) {
                throw new AssertionError(who + ": item #" + i + " is " + items.get(i) + " after " + items.get(i - 1)
                        + " (gap or duplicate) in a run of " + items.size());
            }
        }
    }
}
