package io.anomalyflow.flow;

import io.anomalyflow.flow.testing.ManualPublisher;
import io.anomalyflow.flow.testing.Race;
import io.anomalyflow.flow.testing.TestSubscriber;
import static io.anomalyflow.flow.testing.DemandPatterns.assertResult;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class TakePublisherTest {

    @Test
    void takesTheFirstItemsUnderAllDemandPatterns() {
        assertResult(Flows.take(Flows.range(0, 100), 3), List.of(0L, 1L, 2L));
        assertResult(Flows.take(Flows.range(0, 2), 5), List.of(0L, 1L)); // a shorter source just completes
        assertResult(Flows.take(Flows.just("x"), 1), List.of("x"));
        assertResult(Flows.take(Flows.generate(() -> "g"), 2), List.of("g", "g"));
    }

    @Test
    void takeOfAnInfiniteSourcePerSubscriberIsCold() {
        var source = Flows.take(Flows.map(Flows.range(0, Long.MAX_VALUE), x -> x * x), 4);
        assertResult(source, List.of(0L, 1L, 4L, 9L));
    }

    @Test
    void takeZeroCompletesWithoutSubscribingUpstream() {
        var upstream = new ManualPublisher<Integer>();
        assertResult(Flows.take(upstream, 0), List.of());
        assertThat(upstream.subscribes()).isZero();
        assertThatThrownBy(() -> Flows.take(upstream, -1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
    }

    @Test
    void neverRequestsMoreThanNUpstream() {
        var upstream = new ManualPublisher<Integer>();
        var ts = TestSubscriber.<Integer>create(0);
        Flows.take(upstream, 5).subscribe(ts);
        ts.request(3).request(3).request(3);
        assertThat(upstream.requests()).containsExactly(3L, 2L);

        var unbounded = new ManualPublisher<Integer>();
        Flows.take(unbounded, 5).subscribe(TestSubscriber.create());
        assertThat(unbounded.requests()).containsExactly(5L);
    }

    @Test
    void cancelsUpstreamAtTheNthItemAndIgnoresWhatFollows() {
        var upstream = new ManualPublisher<Integer>();
        var ts = TestSubscriber.<Integer>create();
        Flows.take(upstream, 2).subscribe(ts);
        upstream.next(1);
        assertThat(upstream.cancels()).isZero();
        upstream.next(2);
        assertThat(upstream.cancels()).isEqualTo(1);
        ts.assertValues(1, 2).assertComplete();
        upstream.next(3).complete(); // a source may still signal right after cancel (§3.12)
        ts.assertValues(1, 2).assertNoViolations();
    }

    @Test
    void badRequestsStillReachTheSource() { // §3.9
        var ts = TestSubscriber.<Long>create(0);
        Flows.take(Flows.range(0, 10), 5).subscribe(ts);
        ts.request(5).request(0);
        // all 5 delivered and completed before the bad request: nothing more may come (§1.7)
        ts.assertValues(0L, 1L, 2L, 3L, 4L).assertComplete().assertNoViolations();

        var early = TestSubscriber.<Long>create(0);
        Flows.take(Flows.range(0, 10), 5).subscribe(early);
        early.request(2).request(-3);
        early.assertValues(0L, 1L).assertError(IllegalArgumentException.class).assertNoViolations();
    }

    @Test
    void downstreamCancelCancelsUpstream() {
        var upstream = new ManualPublisher<Integer>();
        var ts = TestSubscriber.<Integer>create();
        Flows.take(upstream, 10).subscribe(ts);
        ts.cancel();
        assertThat(upstream.cancels()).isEqualTo(1);
    }

    @Test
    void concurrentRequestsNeverOvershootTheLimit() {
        for (int round = 0; round < 100; round++) {
            var ts = TestSubscriber.<Long>create(0);
            Flows.take(Flows.range(0, 1_000_000), 500).subscribe(ts);
            Runnable requester = () -> {
                for (int i = 0; i < 200; i++) {
                    ts.request(1);
                }
            };
            Race.run(requester, requester, requester);
            ts.assertValues(LongStream.range(0, 500).boxed().toList()).assertComplete().assertNoViolations();
        }
    }

    @Test
    void cancelRacingWithRequestsThroughAChainLeavesAnOrderedPrefix() {
        for (int round = 0; round < 200; round++) {
            var ts = TestSubscriber.<Long>create(0);
            Pipe.from(Flows.range(0, Long.MAX_VALUE)).map(x -> x + 1).filter(x -> x % 2 == 0).take(1_000).subscribe(ts);
            Race.run(() -> {
                for (int i = 0; i < 100; i++) {
                    ts.request(2);
                }
            }, ts::cancel);
            int seen = ts.count();
            ts.request(100); // after cancel: nothing (§3.6)
            ts.assertValues(LongStream.rangeClosed(1, seen).map(x -> 2 * x).boxed().toList()).assertNoViolations();
            if (seen < 200) {
                ts.assertNotTerminated();
            }
        }
    }
}
