package io.anomalyflow.workshop.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.anomalyflow.flow.Flows;
import io.anomalyflow.flow.testing.TestSubscriber;
import io.anomalyflow.workshop.api.MulticastStep;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Step 08, targeted: one upstream subscription for all, everyone gets everything, a leaving subscriber stops nobody. */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class Step08MulticastTest {
    private final Duration patience = Implementations.patience(Duration.ofSeconds(10));
    private final MulticastStep step = Implementations.of(MulticastStep.class);

    @Test
    @DisplayName("one upstream subscription serves three subscribers, each gets every item in order and the completion")
    void oneUpstreamManySubscribers() {
        var subscribes = new AtomicInteger();
        Flow.Publisher<Long> source = s -> {
            subscribes.incrementAndGet();
            Flows.range(1, 500).subscribe(s);
        };
        Flow.Processor<Long, Long> processor = step.create();
        var subscribers = List.of(TestSubscriber.<Long>create(), TestSubscriber.<Long>create(), TestSubscriber.<Long>create());
        subscribers.forEach(processor::subscribe);
        source.subscribe(processor);
        var expected = LongStream.rangeClosed(1, 500).boxed().toList();
        for (var ts : subscribers) {
            ts.awaitTerminated(patience).assertValues(expected).assertComplete().assertNoViolations();
        }
        assertThat(subscribes.get()).as("subscriptions to the upstream").isEqualTo(1);
    }

    @Test
    @DisplayName("§3.5 a subscriber that cancels releases the stream: the others go on to the end")
    void cancellingSubscriberStopsNobody() {
        Flow.Processor<Long, Long> processor = step.create();
        var leaving = TestSubscriber.<Long>create(10);
        var staying = TestSubscriber.<Long>create();
        processor.subscribe(leaving);
        processor.subscribe(staying);
        Flows.range(1, 1000).subscribe(processor);
        leaving.awaitCount(10, patience);
        leaving.cancel();
        staying.awaitTerminated(patience).assertComplete().assertNoViolations();
        assertThat(staying.count()).as("items the staying subscriber got").isEqualTo(1000);
        assertThat(leaving.count()).as("items the leaving one got: what it asked for").isEqualTo(10);
        leaving.assertNoViolations();
    }
}
