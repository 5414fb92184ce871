package io.anomalyflow.sender;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SerialUpstreamTest {

    /** A subscription that records how it is called: never concurrently, is what §2.7 wants. */
    private static final class Recording implements Flow.Subscription {
        final AtomicInteger inside = new AtomicInteger();
        final AtomicInteger maxInside = new AtomicInteger();
        final AtomicLong requested = new AtomicLong();
        final AtomicInteger cancels = new AtomicInteger();
        final AtomicInteger requestsAfterCancel = new AtomicInteger();

        @Override
        public void request(long n) {
            enter();
            if (cancels.get() > 0) {
                requestsAfterCancel.incrementAndGet();
            }
            requested.addAndGet(n);
            Thread.onSpinWait(); // widen the window a concurrent call would hit
            inside.decrementAndGet();
        }

        @Override
        public void cancel() {
            enter();
            cancels.incrementAndGet();
            inside.decrementAndGet();
        }

        private void enter() {
            maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
        }
    }

    private static void race(int threads, Runnable body) throws Exception {
        var barrier = new CyclicBarrier(threads);
        var workers = new ArrayList<Thread>();
        for (int t = 0; t < threads; t++) {
            workers.add(Thread.ofPlatform().start(() -> {
                try {
                    barrier.await();
                } catch (Exception e) {
                    return;
                }
                body.run();
            }));
        }
        for (var w : workers) {
            w.join();
        }
    }

    @Test
    void requestsFromManyThreadsAreSerialAndAddUp() throws Exception {
        for (int iteration = 0; iteration < 20; iteration++) {
            var upstream = new SerialUpstream();
            var s = new Recording();
            upstream.set(s);
            race(8, () -> {
                for (int i = 0; i < 5_000; i++) {
                    upstream.request(1);
                }
            });
            assertThat(s.maxInside.get()).isEqualTo(1);
            assertThat(s.requested.get()).isEqualTo(8 * 5_000);
        }
    }

    @Test
    void requestsBeforeTheSubscriptionGoOutWhenItArrives() {
        var upstream = new SerialUpstream();
        upstream.request(3);
        upstream.request(4);
        var s = new Recording();
        assertThat(upstream.set(s)).isTrue();
        assertThat(s.requested.get()).isEqualTo(7);
        assertThat(upstream.set(new Recording())).isFalse();
    }

    @Test
    void demandIsCappedAtLongMaxValue() {
        var upstream = new SerialUpstream();
        upstream.request(Long.MAX_VALUE);
        upstream.request(Long.MAX_VALUE);
        var s = new Recording();
        upstream.set(s);
        assertThat(s.requested.get()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void cancelRacingRequestsCancelsOnceAndThenRequestsNothing() throws Exception {
        for (int iteration = 0; iteration < 50; iteration++) {
            var upstream = new SerialUpstream();
            var s = new Recording();
            upstream.set(s);
            race(4, () -> {
                for (int i = 0; i < 1_000; i++) {
                    upstream.request(1);
                    if (i == 500) {
                        upstream.cancel();
                    }
                }
            });
            assertThat(s.cancels.get()).isEqualTo(1);
            assertThat(s.requestsAfterCancel.get()).isZero();
            assertThat(s.maxInside.get()).isEqualTo(1);
        }
    }

    @Test
    void aRequestMadeFromInsideRequestDoesNotRecurse() {
        var upstream = new SerialUpstream();
        var depth = new AtomicInteger();
        var maxDepth = new AtomicInteger();
        var calls = new AtomicInteger();
        upstream.set(new Flow.Subscription() {
            @Override
            public void request(long n) {
                maxDepth.accumulateAndGet(depth.incrementAndGet(), Math::max);
                if (calls.incrementAndGet() < 10_000) {
                    upstream.request(1); // as a synchronous publisher's onNext → subscriber → request(1) would
                }
                depth.decrementAndGet();
            }

            @Override
            public void cancel() {
            }
        });
        upstream.request(1);
        assertThat(calls.get()).isEqualTo(10_000);
        assertThat(maxDepth.get()).isEqualTo(1);
    }
}
