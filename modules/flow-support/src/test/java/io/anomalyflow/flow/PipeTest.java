package io.anomalyflow.flow;

import static io.anomalyflow.flow.testing.DemandPatterns.TIMEOUT;
import static io.anomalyflow.flow.testing.DemandPatterns.assertResult;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class PipeTest {

    @Test
    void aChainReadsTopToBottomAndBehavesUnderAllDemandPatterns() {
        var squaresDivisibleBy3 = Pipe.from(Flows.range(1, 100))
                .map(n -> n * n)
                .filter(n -> n % 3 == 0)
                .take(5);
        assertResult(squaresDivisibleBy3, List.of(9L, 36L, 81L, 144L, 225L));
    }

    @Test
    void forEachDeliversEverythingInOrderAndCompletes() throws Exception {
        var seen = new ArrayList<Long>();
        var handle = Pipe.from(Flows.range(0, 10_000)).forEach(seen::add, 16);
        handle.completion().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(seen).isEqualTo(LongStream.range(0, 10_000).boxed().toList());
    }

    @Test
    void forEachReportsTheErrorOfTheChain() {
        var handle = Pipe.from(Flows.just(1, 2, 0)).map(n -> 10 / n).forEach(n -> { });
        assertThat(handle.completion()).failsWithin(TIMEOUT).withThrowableThat().withCauseInstanceOf(ArithmeticException.class);
    }

    @Test
    void fromReusesAPipeAndAPipeIsAPublisherLikeAnyOther() {
        var pipe = Pipe.from(Flows.just(1, 2, 3));
        assertThat(Pipe.from(pipe)).isSameAs(pipe);
        assertResult(Flows.map(pipe, n -> n + 1), List.of(2, 3, 4));
        assertThatThrownBy(() -> pipe.subscribe(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Pipe.from(null)).isInstanceOf(NullPointerException.class);
    }
}
