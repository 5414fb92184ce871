package io.anomalyflow.flow;

import io.anomalyflow.flow.testing.DemandPatterns;
import io.anomalyflow.flow.testing.FlowAssertions;
import io.anomalyflow.flow.testing.ManualPublisher;
import io.anomalyflow.flow.testing.Race;
import io.anomalyflow.flow.testing.RecordingSubscription;
import io.anomalyflow.flow.testing.TestSubscriber;
import static io.anomalyflow.flow.testing.FlowAssertions.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.anomalyflow.flow.testing.SeqPublisher;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BufferPublisherTest {
    private static final int N = 1000;
    private static final int CAPACITY = 16;

    private final ConcurrentLinkedQueue<Integer> drops = new ConcurrentLinkedQueue<>();

    private static List<Integer> range(int from, int to) {
        return IntStream.range(from, to).boxed().toList();
    }

    @Test
    void unboundedDemandGetsEverythingAndDropsNothing() {
        var source = new SeqPublisher(N);
        var ts = TestSubscriber.<Integer>create();
        BufferPublisher.dropOldest(source, CAPACITY, drops::add).subscribe(ts);

        ts.assertValues(range(0, N)).assertComplete().assertNoViolations();
        assertThat(drops).isEmpty();
        assertThat(source.requested.get()).as("requests unbounded upstream").isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void passesTheFourDemandPatternsWhenNothingOverflows() {
        DemandPatterns.assertResult(BufferPublisher.dropOldest(new SeqPublisher(50), 64, drops::add), range(0, 50));
        Flow.Publisher<Integer> failing = s -> Subscriptions.error(s, new IllegalStateException("failed"));
        DemandPatterns.assertFailure(BufferPublisher.dropNewest(failing, 4, drops::add), List.of(), IllegalStateException.class);
        assertThat(drops).isEmpty();
    }

    @Test
    void zeroThenMaxKeepsTheNewestAndCountsTheDrops() {
        var ts = TestSubscriber.<Integer>create(0);
        var p = BufferPublisher.dropOldest(new SeqPublisher(N), CAPACITY, drops::add);
        p.subscribe(ts);

        assertThat(ts.values()).isEmpty();
        ts.assertNotTerminated(); // completion waits behind the buffered items
        assertThat(drops).containsExactlyElementsOf(range(0, N - CAPACITY));

        ts.request(Long.MAX_VALUE);
        ts.assertValues(range(N - CAPACITY, N)).assertComplete().assertNoViolations();
    }

    @Test
    void zeroThenExactCompletesWithoutFurtherDemand() {
        var ts = TestSubscriber.<Integer>create(0);
        BufferPublisher.dropOldest(new SeqPublisher(N), CAPACITY, drops::add).subscribe(ts);

        ts.request(CAPACITY - 1);
        ts.assertValues(range(N - CAPACITY, N - 1)).assertNotTerminated();
        ts.request(1);
        ts.assertValues(range(N - CAPACITY, N)).assertComplete().assertNoViolations();
    }

    @Test
    void cancelAfterFirstReachesTheSourceAndStopsTheItems() {
        var source = new ManualPublisher<Integer>();
        var ts = TestSubscriber.<Integer>create(1);
        BufferPublisher.dropOldest(source, CAPACITY, drops::add).subscribe(ts);

        source.next(1);
        ts.cancel();
        source.next(2); // §2.8: may still come; must not be delivered
        ts.request(5);  // §3.6: a no-op

        ts.assertValues(1).assertNotTerminated().assertNoViolations();
        assertThat(source.cancels()).isEqualTo(1);
        ts.cancel(); // §3.7: idempotent
        assertThat(source.cancels()).isEqualTo(1);
    }

    @Test
    void dropNewestKeepsTheOldest() {
        var ts = TestSubscriber.<Integer>create(0);
        var seen = new AtomicReference<BufferedSubscription<?>>();
        BufferPublisher.dropNewest(new SeqPublisher(N), CAPACITY, drops::add).subscribe(new Forwarding<>(ts, seen));

        assertThat(seen.get().dropped()).isEqualTo(N - CAPACITY);
        assertThat(seen.get().buffered()).isEqualTo(CAPACITY);
        assertThat(drops).containsExactlyElementsOf(range(CAPACITY, N));
        ts.request(Long.MAX_VALUE);
        ts.assertValues(range(0, CAPACITY)).assertComplete().assertNoViolations();
    }

    @Test
    void failPolicyErrorsWithoutDemandAndCancelsTheSource() {
        var source = new ManualPublisher<Integer>();
        var ts = TestSubscriber.<Integer>create(0);
        BufferPublisher.create(source, CAPACITY, OverflowPolicy.FAIL, drops::add).subscribe(ts);

        for (int i = 0; i <= CAPACITY; i++) {
            source.next(i);
        }

        ts.assertError(OverflowPolicy.OverflowException.class).assertNoViolations();
        assertThat(ts.values()).isEmpty();
        assertThat(((OverflowPolicy.OverflowException) ts.error()).capacity()).isEqualTo(CAPACITY);
        assertThat(source.cancels()).isEqualTo(1);
        source.next(99); // late item after cancel: ignored
        assertThat(ts.values()).isEmpty();
    }

    @Test
    void errorJumpsAheadOfBufferedItems() {
        var source = new ManualPublisher<Integer>();
        var ts = TestSubscriber.<Integer>create(0);
        BufferPublisher.dropOldest(source, CAPACITY, drops::add).subscribe(ts);
        source.next(1);
        source.next(2);

        var boom = new IllegalStateException("boom");
        source.error(boom);

        assertThat(ts.error()).isSameAs(boom);
        assertThat(ts.values()).isEmpty();
        ts.assertNoViolations();
    }

    @Test
    void completionWaitsBehindBufferedItems() {
        var source = new ManualPublisher<Integer>();
        var ts = TestSubscriber.<Integer>create(0);
        BufferPublisher.dropOldest(source, CAPACITY, drops::add).subscribe(ts);
        source.next(1);
        source.next(2);
        source.complete();
        ts.assertNotTerminated();

        ts.request(2);
        ts.assertValues(1, 2).assertComplete().assertNoViolations();
    }

    @Test
    void nonPositiveRequestSignalsIllegalArgumentAndCancelsTheSource() {
        var source = new ManualPublisher<Integer>();
        var ts = TestSubscriber.<Integer>create(0);
        BufferPublisher.dropOldest(source, CAPACITY, drops::add).subscribe(ts);

        ts.request(0);

        ts.assertError(IllegalArgumentException.class).assertNoViolations();
        assertThat(ts.error()).hasMessageContaining("§3.9");
        assertThat(source.cancels()).isEqualTo(1);
    }

    @Test
    void aThrowingOnDropFailsTheSubscriber() {
        var source = new ManualPublisher<Integer>();
        var ts = TestSubscriber.<Integer>create(0);
        var boom = new IllegalStateException("onDrop failed");
        BufferPublisher.dropOldest(source, 1, x -> {
            throw boom;
        }).subscribe(ts);

        source.next(1);
        source.next(2);

        assertThat(ts.error()).isSameAs(boom);
        assertThat(source.cancels()).isEqualTo(1);
    }

    @Test
    void secondOnSubscribeIsCancelledAndNullsAreRefused() {
        var holder = new AtomicReference<Flow.Subscriber<? super Integer>>();
        Flow.Publisher<Integer> capturing = s -> {
            holder.set(s);
            s.onSubscribe(new RecordingSubscription());
        };
        var p = BufferPublisher.dropOldest(capturing, CAPACITY, drops::add);
        p.subscribe(TestSubscriber.create());
        var second = new RecordingSubscription();

        holder.get().onSubscribe(second);

        assertThat(second.cancelled.get()).as("§2.5").isEqualTo(1);
        assertThatThrownBy(() -> p.subscribe(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> holder.get().onNext(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> BufferPublisher.dropOldest(capturing, 0, drops::add))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0");
    }

    @Test
    void requestRacingWithOnNextNeverBreaksOrderOrDemand() {
        for (int round = 0; round < 200; round++) {
            var source = new ManualPublisher<Integer>();
            var ts = TestSubscriber.<Integer>create(0);
            BufferPublisher.dropOldest(source, N, drops::add).subscribe(ts);

            Race.run(() -> {
                for (int i = 0; i < N; i++) {
                    source.next(i);
                }
                source.complete();
            }, () -> {
                for (int i = 0; i < N; i++) {
                    ts.request(1);
                }
            });

            ts.awaitTerminated(TIMEOUT).assertValues(range(0, N)).assertComplete().assertNoViolations();
        }
        assertThat(drops).isEmpty();
    }

    @Test
    void cancelRacingWithDrainStopsCleanly() {
        for (int round = 0; round < 200; round++) {
            var source = new ManualPublisher<Integer>();
            var ts = TestSubscriber.<Integer>create();
            BufferPublisher.dropOldest(source, N, drops::add).subscribe(ts);

            Race.run(() -> {
                for (int i = 0; i < 500; i++) {
                    source.next(i);
                }
            }, ts::cancel);

            ts.assertNotTerminated().assertNoViolations();
            FlowAssertions.assertContiguous(ts.values(), "round " + round);
            assertThat(source.cancels()).isEqualTo(1);
        }
    }

    /** Passes everything on and keeps the subscription, to read its counters. */
    private record Forwarding<T>(TestSubscriber<T> target, AtomicReference<BufferedSubscription<?>> seen)
            implements Flow.Subscriber<T> {
        @Override
        public void onSubscribe(Flow.Subscription s) {
            seen.set((BufferedSubscription<?>) s);
            target.onSubscribe(s);
        }

        @Override
        public void onNext(T item) {
            target.onNext(item);
        }

        @Override
        public void onError(Throwable t) {
            target.onError(t);
        }

        @Override
        public void onComplete() {
            target.onComplete();
        }
    }
}
