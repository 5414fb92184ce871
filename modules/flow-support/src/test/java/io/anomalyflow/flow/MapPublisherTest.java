package io.anomalyflow.flow;

import io.anomalyflow.flow.testing.ManualPublisher;
import io.anomalyflow.flow.testing.Race;
import io.anomalyflow.flow.testing.TestSubscriber;
import static io.anomalyflow.flow.testing.DemandPatterns.assertFailure;
import static io.anomalyflow.flow.testing.DemandPatterns.assertResult;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** map, and through it the behaviour every pass-through stage shares ({@link RelaySubscriber}). */
class MapPublisherTest {
    private static final Function<Integer, Integer> FAIL_ON_2 = x -> {
        if (x == 2) {
            throw new IllegalStateException("mapper failed on " + x);
        }
        return x * 10;
    };

    @Test
    void mapsEveryItemUnderAllDemandPatterns() {
        assertResult(Flows.map(Flows.range(1, 4), n -> "#" + n), List.of("#1", "#2", "#3", "#4"));
        assertResult(Flows.map(Flows.<Integer>empty(), n -> n), List.of());
        assertFailure(Flows.map(Flows.error(new IllegalStateException()), n -> n), List.of(), IllegalStateException.class);
    }

    @Test
    void aThrowingOrNullReturningMapperFailsTheStream() {
        assertFailure(Flows.map(Flows.just(1, 2, 3), FAIL_ON_2), List.of(10), IllegalStateException.class);
        assertFailure(Flows.map(Flows.just(1, 2, 3), x -> x == 3 ? null : x), List.of(1, 2), NullPointerException.class);
    }

    @Test
    void aMapperFailureCancelsUpstreamAndLaterUpstreamSignalsAreIgnored() { // §1.7
        var upstream = new ManualPublisher<Integer>();
        var ts = TestSubscriber.<Integer>create();
        Flows.map(upstream, FAIL_ON_2).subscribe(ts);
        upstream.next(1).next(2);
        assertThat(upstream.cancels()).isEqualTo(1);
        upstream.next(3).error(new RuntimeException("late"));
        upstream.complete();
        ts.assertValues(10).assertError(IllegalStateException.class).assertNoViolations();
        assertThat(ts.error()).hasMessage("mapper failed on 2");
    }

    @Test
    void demandPassesThroughUnchangedIncludingIllegalRequests() {
        var upstream = new ManualPublisher<Integer>();
        var ts = TestSubscriber.<Integer>create(0);
        Flows.map(upstream, x -> x).subscribe(ts);
        ts.request(3).request(Long.MAX_VALUE).request(0);
        assertThat(upstream.requests()).containsExactly(3L, Long.MAX_VALUE, 0L); // §3.9 is the source's job
        assertResult(Flows.map(Flows.range(0, 3), x -> x), List.of(0L, 1L, 2L));
        var bad = TestSubscriber.<Long>create(0);
        Flows.map(Flows.range(0, 3), x -> x).subscribe(bad);
        bad.request(-1);
        bad.assertError(IllegalArgumentException.class).assertNoViolations();
    }

    @Test
    void cancelReachesUpstreamOnceAndLateItemsAreDropped() { // §3.7, §2.8
        var upstream = new ManualPublisher<Integer>();
        var ts = TestSubscriber.<Integer>create();
        Flows.map(upstream, x -> x).subscribe(ts);
        upstream.next(1);
        ts.cancel().cancel();
        upstream.next(2).complete();
        assertThat(upstream.cancels()).isEqualTo(1);
        ts.request(5);
        assertThat(upstream.requests()).containsExactly(Long.MAX_VALUE); // nothing after cancel (§3.6)
        ts.assertValues(1).assertNotTerminated().assertNoViolations();
    }

    @Test
    void aSecondOnSubscribeIsCancelledAndNullSignalsAreRejected() { // §2.5, §2.13
        var ts = TestSubscriber.<Integer>create(0);
        var stage = new MapPublisher.MapSubscriber<Integer, Integer>(ts, x -> x);
        var first = new CountingSubscription();
        var second = new CountingSubscription();
        stage.onSubscribe(first);
        stage.onSubscribe(second);
        assertThat(second.cancels).hasValue(1);
        assertThat(first.cancels).hasValue(0);
        assertThatThrownBy(() -> stage.onSubscribe(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> stage.onNext(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> stage.onError(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Flows.map(Flows.just(1), x -> x).subscribe(null)).isInstanceOf(NullPointerException.class);
        ts.assertNoViolations();
    }

    @Test
    void concurrentRequestsThroughMapDeliverEachItemOnceInOrder() {
        for (int round = 0; round < 100; round++) {
            var ts = TestSubscriber.<Long>create(0);
            Flows.map(Flows.range(0, 1_000_000), x -> x * 2).subscribe(ts);
            Runnable requester = () -> {
                for (int i = 0; i < 200; i++) {
                    ts.request(1);
                }
            };
            Race.run(requester, requester, requester);
            ts.assertValues(LongStream.range(0, 600).map(x -> x * 2).boxed().toList()).assertNoViolations();
        }
    }

    /** A subscription that only counts. */
    static final class CountingSubscription implements Flow.Subscription {
        final AtomicInteger cancels = new AtomicInteger();

        @Override
        public void request(long n) {
        }

        @Override
        public void cancel() {
            cancels.incrementAndGet();
        }
    }
}
