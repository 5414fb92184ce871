package io.anomalyflow.flow;

import io.anomalyflow.flow.testing.TckTimeouts;
import java.util.concurrent.Flow;
import org.reactivestreams.tck.flow.FlowPublisherVerification;

/** TCK for {@link Flows#range}. A range cannot fail, so the failed-publisher tests are skipped. */
public class RangePublisherTckTest extends FlowPublisherVerification<Long> {
    public RangePublisherTckTest() {
        super(TckTimeouts.synchronousEnvironment(), TckTimeouts.GC_MILLIS);
    }

    @Override
    public Flow.Publisher<Long> createFlowPublisher(long elements) {
        return Flows.range(0, elements);
    }

    @Override
    public Flow.Publisher<Long> createFailedFlowPublisher() {
        return null;
    }
}
