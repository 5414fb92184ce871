package io.anomalyflow.flow;

import io.anomalyflow.flow.testing.ManualPublisher;
import io.anomalyflow.flow.testing.Race;
import io.anomalyflow.flow.testing.TestSubscriber;
import static io.anomalyflow.flow.testing.DemandPatterns.TIMEOUT;
import static io.anomalyflow.flow.testing.DemandPatterns.assertFailure;
import static io.anomalyflow.flow.testing.DemandPatterns.assertResult;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class FilterPublisherTest {

    @Test
    void keepsWhatThePredicateAcceptsUnderAllDemandPatterns() {
        assertResult(Flows.filter(Flows.range(1, 10), n -> n % 2 == 0), List.of(2L, 4L, 6L, 8L, 10L));
        assertResult(Flows.filter(Flows.range(1, 10), n -> false), List.of());
        assertResult(Flows.filter(Flows.just("a", "bb", "c"), s -> s.length() == 1), List.of("a", "c"));
    }

    @Test
    void everyDroppedItemIsReplacedOnceTheSourceHasNoDemandLeft() {
        var upstream = new ManualPublisher<Integer>();
        var ts = TestSubscriber.<Integer>create(0);
        Flows.filter(upstream, x -> x % 2 == 0).subscribe(ts);
        ts.request(2);
        upstream.next(1); // dropped, but the source may still send one: nothing asked yet
        assertThat(upstream.requests()).containsExactly(2L);
        upstream.next(2); // kept, and the source's demand is used up: the dropped one is replaced now
        assertThat(upstream.requests()).containsExactly(2L, 1L);
        upstream.next(3); // dropped with no demand left at the source: replaced at once
        assertThat(upstream.requests()).containsExactly(2L, 1L, 1L);
        upstream.next(4);
        assertThat(upstream.requests()).as("the subscriber's 2 are met: nothing owed").containsExactly(2L, 1L, 1L);
        ts.assertValues(2, 4).assertNoViolations();
    }

    @Test
    void dropsUnderLargeDemandAreReplacedInRunsOfABatch() {
        var upstream = new ManualPublisher<Integer>();
        var ts = TestSubscriber.<Integer>create(0);
        Flows.filter(upstream, x -> x % 2 == 0).subscribe(ts);
        ts.request(1000);
        for (int i = 0; i < 2 * FilterPublisher.BATCH + 10; i++) {
            upstream.next(2 * i + 1); // all dropped
        }
        assertThat(upstream.requests()).as("two runs of replacements, the last 10 still owed")
                .containsExactly(1000L, (long) FilterPublisher.BATCH, (long) FilterPublisher.BATCH);
        upstream.next(8);
        ts.assertValues(8).assertNoViolations();
    }

    @Test
    void aMillionItemsMostlyFilteredNeitherStallNorBlowTheStack() {
        var expected = LongStream.range(0, 10).map(i -> i * 100_000).boxed().toList();
        // ends on a kept item, so `request(10)` is enough to see onComplete as well
        var source = Flows.filter(Flows.range(0, 900_001), n -> n % 100_000 == 0);

        var exact = TestSubscriber.<Long>create(0);
        source.subscribe(exact);
        exact.request(expected.size()); // ~10^6 dropped items, replaced from inside onNext
        exact.assertValues(expected).assertComplete().assertNoViolations();

        var oneByOne = TestSubscriber.<Long>create(0);
        source.subscribe(oneByOne);
        for (int i = 1; i <= expected.size(); i++) {
            oneByOne.request(1).awaitCount(i, TIMEOUT);
        }
        oneByOne.awaitTerminated(TIMEOUT).assertValues(expected).assertComplete().assertNoViolations();

        var infinite = TestSubscriber.<Long>create(0); // same over an endless source, ended by take
        var n = new java.util.concurrent.atomic.AtomicLong();
        Flows.take(Flows.filter(Flows.generate(n::getAndIncrement), x -> x % 100_000 == 0), 10).subscribe(infinite);
        infinite.request(10);
        infinite.assertValues(expected).assertComplete().assertNoViolations();
    }

    @Test
    void aThrowingPredicateCancelsUpstreamAndFailsTheStream() {
        assertFailure(Flows.filter(Flows.just(1, 2, 3), x -> {
            if (x == 3) {
                throw new IllegalStateException("predicate failed");
            }
            return x == 1;
        }), List.of(1), IllegalStateException.class);

        var upstream = new ManualPublisher<Integer>();
        var ts = TestSubscriber.<Integer>create();
        Flows.filter(upstream, x -> {
            throw new IllegalStateException("no");
        }).subscribe(ts);
        upstream.next(1).next(2).complete();
        assertThat(upstream.cancels()).isEqualTo(1);
        ts.assertValues().assertError(IllegalStateException.class).assertNoViolations();
    }

    @Test
    void concurrentRequestsThroughFilterDeliverEachRequestedItemOnceInOrder() {
        for (int round = 0; round < 100; round++) {
            var ts = TestSubscriber.<Long>create(0);
            Flows.filter(Flows.range(0, 1_000_000), x -> x % 3 == 0).subscribe(ts);
            Runnable requester = () -> {
                for (int i = 0; i < 200; i++) {
                    ts.request(1);
                }
            };
            Race.run(requester, requester, requester);
            ts.assertValues(LongStream.range(0, 600).map(x -> x * 3).boxed().toList()).assertNoViolations();
        }
    }
}
