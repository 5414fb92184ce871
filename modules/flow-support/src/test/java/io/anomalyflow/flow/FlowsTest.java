package io.anomalyflow.flow;

import io.anomalyflow.flow.testing.Race;
import io.anomalyflow.flow.testing.TestSubscriber;
import static io.anomalyflow.flow.testing.DemandPatterns.TIMEOUT;
import static io.anomalyflow.flow.testing.DemandPatterns.assertFailure;
import static io.anomalyflow.flow.testing.DemandPatterns.assertResult;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The sources: items, completion and failures under the four demand patterns, plus the edges. */
class FlowsTest {

    @Test
    void fromIterableEmitsTheElementsToEverySubscriber() {
        assertResult(Flows.fromIterable(List.of("a", "b", "c")), List.of("a", "b", "c"));
        assertResult(Flows.fromIterable(List.<String>of()), List.of());
    }

    @Test
    void fromIterableAsksForANewIteratorPerSubscriber() {
        var iterators = new AtomicInteger();
        Iterable<Integer> iterable = () -> {
            iterators.incrementAndGet();
            return List.of(1, 2).iterator();
        };
        assertResult(Flows.fromIterable(iterable), List.of(1, 2));
        assertThat(iterators).hasValue(4); // one per demand pattern: cold (§1.10, §1.11)
    }

    @Test
    void aNullElementFailsTheStreamAfterThePrecedingOnes() {
        assertFailure(Flows.fromIterable(Arrays.asList(1, 2, null, 4)), List.of(1, 2), NullPointerException.class);
    }

    @Test
    void aFailingIteratorFactoryFailsAfterOnSubscribe() {
        Iterable<Integer> broken = () -> {
            throw new IllegalStateException("no iterator today");
        };
        assertFailure(Flows.fromIterable(broken), List.of(), IllegalStateException.class);
    }

    @Test
    void aThrowingHasNextOrNextFailsTheStream() {
        assertFailure(Flows.fromIterable(() -> new Flaky(2, true)), List.of(0, 1), IllegalStateException.class);
        assertFailure(Flows.fromIterable(() -> new Flaky(2, false)), List.of(0, 1), IllegalStateException.class);
        assertFailure(Flows.fromIterable(() -> new Flaky(0, true)), List.of(), IllegalStateException.class);
    }

    @Test
    void rangeCountsUpFromStart() {
        assertResult(Flows.range(5, 4), List.of(5L, 6L, 7L, 8L));
        assertResult(Flows.range(-2, 1), List.of(-2L));
        assertResult(Flows.range(7, 0), List.of());
        assertResult(Flows.range(Long.MAX_VALUE - 1, 2), List.of(Long.MAX_VALUE - 1, Long.MAX_VALUE));
    }

    @Test
    void rangeRejectsNegativeCountsAndOverflow() {
        assertThatThrownBy(() -> Flows.range(0, -1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
        assertThatThrownBy(() -> Flows.range(Long.MAX_VALUE, 2)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void generateCallsTheSupplierOncePerDeliveredItemAndOnlyOnDemand() {
        var calls = new AtomicLong();
        var ts = TestSubscriber.<Long>create(0);
        Flows.generate(calls::incrementAndGet).subscribe(ts);
        assertThat(calls).hasValue(0);
        ts.request(3);
        ts.assertValues(1L, 2L, 3L).assertNotTerminated();
        assertThat(calls).hasValue(3);
        ts.cancel();
        ts.request(10);
        assertThat(calls).hasValue(3);
        ts.assertNoViolations();
    }

    @Test
    void generateFailsWhenTheSupplierThrowsOrReturnsNull() {
        var n = new AtomicInteger();
        assertFailure(Flows.take(Flows.generate(() -> {
            if (n.incrementAndGet() % 3 == 0) {
                throw new IllegalStateException("every third call fails");
            }
            return "x";
        }), 10), List.of("x", "x"), IllegalStateException.class);
        assertFailure(Flows.generate(() -> null), List.of(), NullPointerException.class);
    }

    @Test
    void justEmptyAndError() {
        assertResult(Flows.just(1, 2, 3), List.of(1, 2, 3));
        assertResult(Flows.just(), List.of());
        assertResult(Flows.empty(), List.of());
        assertFailure(Flows.error(new IllegalStateException("boom")), List.of(), IllegalStateException.class);
        assertThatThrownBy(() -> Flows.just(1, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Flows.error(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void subscribeRejectsANullSubscriber() { // §1.9
        assertThatThrownBy(() -> Flows.range(0, 1).subscribe(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Flows.empty().subscribe(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Flows.error(new Exception()).subscribe(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void nonPositiveRequestsFailTheStreamOnce() { // §3.9
        for (long bad : new long[] {0, -1, Long.MIN_VALUE}) {
            var ts = TestSubscriber.<Long>create(0);
            Flows.range(0, 100).subscribe(ts);
            ts.request(2).request(bad).request(5);
            ts.assertValues(0L, 1L).assertError(IllegalArgumentException.class).assertNoViolations();
            assertThat(ts.error()).hasMessageContaining("§3.9");
        }
    }

    @Test
    void demandAddsUpToLongMaxValueWithoutOverflow() { // §3.17
        var ts = TestSubscriber.<Long>create(0);
        Flows.range(0, 1000).subscribe(ts);
        ts.request(Long.MAX_VALUE - 1).request(Long.MAX_VALUE - 1).request(Long.MAX_VALUE);
        ts.assertComplete().assertNoViolations();
        assertThat(ts.count()).isEqualTo(1000);
    }

    @Test
    void requestFromInsideOnNextDoesNotRecurse() { // §3.3
        var depth = new AtomicInteger();
        var maxDepth = new AtomicInteger();
        var received = new AtomicLong();
        var completed = new AtomicInteger();
        Flows.range(0, 200_000).subscribe(new Flow.Subscriber<Long>() {
            private Flow.Subscription subscription;

            @Override
            public void onSubscribe(Flow.Subscription s) {
                subscription = s;
                s.request(1);
            }

            @Override
            public void onNext(Long item) {
                maxDepth.accumulateAndGet(depth.incrementAndGet(), Math::max);
                received.incrementAndGet();
                subscription.request(1);
                depth.decrementAndGet();
            }

            @Override
            public void onError(Throwable e) {
            }

            @Override
            public void onComplete() {
                completed.incrementAndGet();
            }
        });
        assertThat(received).hasValue(200_000);
        assertThat(completed).hasValue(1);
        assertThat(maxDepth).hasValue(1);
    }

    @Test
    void aSubscriberThatThrowsFromOnNextLosesItsSubscription() { // §2.13: treated as cancelled
        var delivered = new AtomicInteger();
        var subscription = new java.util.concurrent.atomic.AtomicReference<Flow.Subscription>();
        Flows.range(0, 10).subscribe(new Flow.Subscriber<Long>() {
            @Override
            public void onSubscribe(Flow.Subscription s) {
                subscription.set(s);
            }

            @Override
            public void onNext(Long item) {
                delivered.incrementAndGet();
                throw new IllegalStateException("broken subscriber");
            }

            @Override
            public void onError(Throwable e) {
                delivered.addAndGet(1000);
            }

            @Override
            public void onComplete() {
                delivered.addAndGet(1000);
            }
        });
        assertThatThrownBy(() -> subscription.get().request(3)).hasMessage("broken subscriber");
        subscription.get().request(3);
        subscription.get().request(-1);
        assertThat(delivered).hasValue(1);
    }

    @Test
    void concurrentRequestsDeliverEachRequestedItemOnceInOrder() {
        int threads = 4;
        int requestsPerThread = 250;
        for (int round = 0; round < 200; round++) {
            var ts = TestSubscriber.<Long>create(0);
            Flows.range(0, 1_000_000).subscribe(ts);
            var tasks = new Runnable[threads];
            Arrays.fill(tasks, (Runnable) () -> {
                for (int i = 0; i < requestsPerThread; i++) {
                    ts.request(1);
                }
            });
            Race.run(tasks);
            long total = (long) threads * requestsPerThread;
            ts.assertValues(LongStream.range(0, total).boxed().toList()).assertNotTerminated().assertNoViolations();
        }
    }

    @Test
    void cancelRacingWithRequestsStopsTheStreamWithoutLossOrDuplication() {
        for (int round = 0; round < 300; round++) {
            var ts = TestSubscriber.<Long>create(0);
            Flows.range(0, 1_000_000).subscribe(ts);
            Race.run(() -> {
                for (int i = 0; i < 100; i++) {
                    ts.request(3);
                }
            }, ts::cancel);
            int seen = ts.count();
            ts.request(10); // after cancel: nothing (§3.6)
            assertThat(seen).isLessThanOrEqualTo(300);
            ts.assertValues(LongStream.range(0, seen).boxed().toList()).assertNotTerminated().assertNoViolations();
        }
    }

    @Test
    void itemsAreNotPulledFromTheIteratorAfterCancel() {
        var pulled = new AtomicInteger();
        Iterable<Integer> counting = () -> new Iterator<>() {
            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Integer next() {
                return pulled.incrementAndGet();
            }
        };
        var ts = TestSubscriber.<Integer>create(0);
        Flows.fromIterable(counting).subscribe(ts);
        ts.request(2).cancel().request(5);
        ts.awaitCount(2, TIMEOUT).assertValues(1, 2).assertNoViolations();
        assertThat(pulled).hasValue(2);
    }

    /** Yields 0, 1, …, then throws from hasNext() or next() once {@code good} items are out. */
    private static final class Flaky implements Iterator<Integer> {
        private final int good;
        private final boolean failInHasNext;
        private int next;

        Flaky(int good, boolean failInHasNext) {
            this.good = good;
            this.failInHasNext = failInHasNext;
        }

        @Override
        public boolean hasNext() {
            if (failInHasNext && next >= good) {
                throw new IllegalStateException("hasNext failed");
            }
            return true;
        }

        @Override
        public Integer next() {
            if (next >= good) {
                if (!failInHasNext) {
                    throw new IllegalStateException("next failed");
                }
                throw new NoSuchElementException();
            }
            return next++;
        }
    }
}
