package io.anomalyflow.workshop.check;

import io.anomalyflow.flow.Flows;
import io.anomalyflow.flow.testing.TckTimeouts;
import io.anomalyflow.workshop.api.OperatorStep;
import java.util.concurrent.Flow;
import org.reactivestreams.tck.flow.FlowPublisherVerification;

/** Step 07, the TCK's publisher rules (§1.x, §3.x) for map over a range; the failed publisher maps a failed source. */
public class Step07MapTckTest extends FlowPublisherVerification<String> {
    private final OperatorStep step = Implementations.of(OperatorStep.class);

    /** The TCK with the project's timeouts (the range emits inside request()). */
    public Step07MapTckTest() {
        super(TckTimeouts.synchronousEnvironment(), TckTimeouts.GC_MILLIS);
    }

    @Override
    public Flow.Publisher<String> createFlowPublisher(long elements) {
        return step.map(Flows.range(0, elements), n -> "#" + n);
    }

    @Override
    public Flow.Publisher<String> createFailedFlowPublisher() {
        return step.map(Flows.<Long>error(new IllegalStateException("failed source")), n -> "#" + n);
    }
}
