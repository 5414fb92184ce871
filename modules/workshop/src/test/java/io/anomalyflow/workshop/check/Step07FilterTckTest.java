package io.anomalyflow.workshop.check;

import io.anomalyflow.flow.Flows;
import io.anomalyflow.flow.testing.TckTimeouts;
import io.anomalyflow.workshop.api.OperatorStep;
import java.util.concurrent.Flow;
import org.reactivestreams.tck.flow.FlowPublisherVerification;

/**
 * Step 07, the TCK's publisher rules for filter: it drops every odd number of a range twice as
 * long as needed, so half of the items need the filter's extra {@code request(1)}; without it the
 * TCK sees fewer items than it asked for.
 */
public class Step07FilterTckTest extends FlowPublisherVerification<Long> {
    private final OperatorStep step = Implementations.of(OperatorStep.class);

    /** The TCK with the project's timeouts (the range emits inside request()). */
    public Step07FilterTckTest() {
        super(TckTimeouts.synchronousEnvironment(), TckTimeouts.GC_MILLIS);
    }

    @Override
    public Flow.Publisher<Long> createFlowPublisher(long elements) {
        long count = elements <= Long.MAX_VALUE / 2 ? elements * 2 : Long.MAX_VALUE;
        return step.filter(Flows.range(0, count), n -> n % 2 == 0);
    }

    @Override
    public Flow.Publisher<Long> createFailedFlowPublisher() {
        return step.filter(Flows.<Long>error(new IllegalStateException("failed source")), n -> true);
    }
}
