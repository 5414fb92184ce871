package io.anomalyflow.flow;

import io.anomalyflow.flow.testing.Race;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SerialUpstreamTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** A virtual thread per task: a drainer that would happily run two loops at once if let. */
    private static final Executor VIRTUAL = task -> Thread.ofVirtual().start(task);

    /** A subscription that records how it is called: never concurrently, is what §2.7 wants. */
    private static final class Recording implements Flow.Subscription {
        final AtomicInteger inside = new AtomicInteger();
        final AtomicInteger maxInside = new AtomicInteger();
        final AtomicLong requested = new AtomicLong();
        final AtomicInteger cancels = new AtomicInteger();
        final AtomicInteger requestsAfterCancel = new AtomicInteger();
        final Set<Thread> callers = ConcurrentHashMap.newKeySet();

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
            callers.add(Thread.currentThread());
            maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
        }
    }

    private static Runnable[] times(int threads, Runnable body) {
        return IntStream.range(0, threads).mapToObj(i -> body).toArray(Runnable[]::new);
    }

    @Test
    void requestsFromManyThreadsAreSerialAndAddUp() {
        for (int iteration = 0; iteration < 20; iteration++) {
            var upstream = SerialUpstream.create();
            var s = new Recording();
            upstream.set(s);
            Race.run(times(8, () -> {
                for (int i = 0; i < 5_000; i++) {
                    upstream.request(1);
                }
            }));
            assertThat(s.maxInside.get()).isEqualTo(1);
            assertThat(s.requested.get()).isEqualTo(8 * 5_000);
        }
    }

    @Test
    void onAnExecutorRequestsAreSerialAndAddUpAndNoCallerRunsTheUpstream() {
        for (int iteration = 0; iteration < 20; iteration++) {
            var upstream = SerialUpstream.create(VIRTUAL);
            var s = new Recording();
            upstream.set(s);
            var racers = ConcurrentHashMap.<Thread>newKeySet();
            Race.run(times(8, () -> {
                racers.add(Thread.currentThread());
                for (int i = 0; i < 5_000; i++) {
                    upstream.request(1);
                }
            }));
            await().atMost(WAIT).until(() -> s.requested.get() == 8 * 5_000);
            assertThat(s.maxInside.get()).isEqualTo(1);
            assertThat(s.callers).doesNotContainAnyElementsOf(racers).allMatch(Thread::isVirtual);
        }
    }

    @Test
    void requestsBeforeTheSubscriptionGoOutWhenItArrives() {
        var upstream = SerialUpstream.create();
        upstream.request(3);
        upstream.request(4);
        var s = new Recording();
        assertThat(upstream.set(s)).isTrue();
        assertThat(s.requested.get()).isEqualTo(7);
        assertThat(upstream.set(new Recording())).isFalse();
    }

    @Test
    void demandIsCappedAtLongMaxValue() {
        var upstream = SerialUpstream.create();
        upstream.request(Long.MAX_VALUE);
        upstream.request(Long.MAX_VALUE);
        var s = new Recording();
        upstream.set(s);
        assertThat(s.requested.get()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aNonPositiveRequestIsTheCallersBug() {
        var upstream = SerialUpstream.create();
        assertThatThrownBy(() -> upstream.request(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("§3.9");
    }

    @Test
    void cancelRacingRequestsCancelsOnceAndThenRequestsNothing() {
        for (var drainer : new Executor[] {null, VIRTUAL}) {
            for (int iteration = 0; iteration < 50; iteration++) {
                var upstream = drainer == null ? SerialUpstream.create() : SerialUpstream.create(drainer);
                var s = new Recording();
                upstream.set(s);
                Race.run(times(4, () -> {
                    for (int i = 0; i < 1_000; i++) {
                        upstream.request(1);
                        if (i == 500) {
                            upstream.cancel();
                        }
                    }
                }));
                assertThat(upstream.isCancelled()).isTrue();
                await().atMost(WAIT).until(() -> s.cancels.get() == 1);
                assertThat(s.requestsAfterCancel.get()).isZero();
                assertThat(s.maxInside.get()).isEqualTo(1);
            }
        }
    }

    @Test
    void aRequestMadeFromInsideRequestDoesNotRecurse() {
        var upstream = SerialUpstream.create();
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

    /**
     * An upstream that throws from {@code request} (which §3.16 forbids, but a subscriber throwing
     * from {@code onNext} into a synchronous source makes it happen) leaves the loop usable: the
     * cancel that follows still reaches the upstream.
     */
    @Test
    void anUpstreamThatThrowsFromRequestDoesNotWedgeTheLoop() {
        var cancels = new AtomicInteger();
        var requests = new AtomicInteger();
        var serial = SerialUpstream.create();
        serial.set(new Flow.Subscription() {
            @Override
            public void request(long n) {
                if (requests.incrementAndGet() == 1) {
                    throw new IllegalStateException("a subscriber's onNext threw");
                }
            }

            @Override
            public void cancel() {
                cancels.incrementAndGet();
            }
        });
        assertThatThrownBy(() -> serial.request(1)).isInstanceOf(IllegalStateException.class);
        serial.request(1);
        assertThat(requests).as("the next request goes through").hasValue(2);
        serial.cancel();
        assertThat(cancels).as("and so does the cancel").hasValue(1);
    }
}
