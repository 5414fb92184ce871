package io.anomalyflow.workshop.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.anomalyflow.flow.testing.ManualPublisher;
import io.anomalyflow.flow.testing.TestSubscriber;
import io.anomalyflow.workshop.api.OperatorStep;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Step 07, targeted: demand passes through unchanged, the filter replaces each dropped item, a failing function ends the stream once. */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class Step07OperatorsTest {
    private final Duration patience = Implementations.patience(Duration.ofSeconds(5));
    private final OperatorStep step = Implementations.of(OperatorStep.class);

    @Test
    @DisplayName("map forwards each request(n) upstream as it is, not more, not cumulative")
    void mapForwardsDemand() {
        var source = new ManualPublisher<Integer>();
        var ts = TestSubscriber.<String>create(0);
        step.map(source, n -> "#" + n).subscribe(ts);
        ts.awaitSubscribed(patience).request(5);
        ts.request(3);
        assertThat(source.requests()).as("the requests the source received").isEqualTo(List.of(5L, 3L));
        source.next(1).next(2);
        assertThat(ts.values()).isEqualTo(List.of("#1", "#2"));
        ts.assertNoViolations();
    }

    @Test
    @DisplayName("§1.1 the filter asks its source for one more for each item it drops")
    void filterReplacesDroppedItems() {
        var source = new ManualPublisher<Integer>();
        var ts = TestSubscriber.<Integer>create(0);
        step.filter(source, n -> n % 2 == 0).subscribe(ts);
        ts.awaitSubscribed(patience).request(1);
        assertThat(source.totalRequested()).as("requested after the subscriber asked for 1").isEqualTo(1);
        source.next(1);
        assertThat(source.totalRequested()).as("requested after dropping 1: one more, or the stream stalls").isEqualTo(2);
        source.next(3);
        assertThat(source.totalRequested()).as("requested after dropping 3").isEqualTo(3);
        source.next(4);
        assertThat(ts.values()).as("what the subscriber got").isEqualTo(List.of(4));
        assertThat(source.totalRequested()).as("requested after passing 4: the subscriber's demand is met").isEqualTo(3);
        ts.assertNoViolations();
    }

    @Test
    @DisplayName("§1.7 §2.13 a throwing mapper: the source is cancelled, onError once, later signals ignored")
    void throwingMapperFailsOnce() {
        var source = new ManualPublisher<Integer>();
        var ts = TestSubscriber.<String>create(10);
        var boom = new IllegalStateException("mapper failed");
        step.<Integer, String>map(source, n -> {
            throw boom;
        }).subscribe(ts);
        ts.awaitSubscribed(patience);
        source.next(1);
        assertThat(ts.error()).as("the error the subscriber got").isSameAs(boom);
        assertThat(source.cancels()).as("cancels the source received").isEqualTo(1);
        source.next(2);
        source.complete();
        assertThat(ts.values()).isEmpty();
        ts.assertNoViolations(); // nothing after the terminal signal (§1.7)
    }

    @Test
    @DisplayName("§1.7 §2.13 a throwing predicate: the source is cancelled, onError once, later signals ignored")
    void throwingPredicateFailsOnce() {
        var source = new ManualPublisher<Integer>();
        var ts = TestSubscriber.<Integer>create(10);
        var boom = new IllegalStateException("predicate failed");
        step.<Integer>filter(source, n -> {
            throw boom;
        }).subscribe(ts);
        ts.awaitSubscribed(patience);
        source.next(1);
        assertThat(ts.error()).as("the error the subscriber got").isSameAs(boom);
        assertThat(source.cancels()).as("cancels the source received").isEqualTo(1);
        source.error(new IllegalStateException("late upstream error"));
        ts.assertNoViolations();
    }
}
