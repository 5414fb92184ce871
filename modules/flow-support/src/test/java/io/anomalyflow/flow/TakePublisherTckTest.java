package io.anomalyflow.flow;

import io.anomalyflow.flow.testing.TckTimeouts;
import java.util.concurrent.Flow;
import org.reactivestreams.tck.flow.FlowPublisherVerification;

/** TCK for {@link Flows#take} cutting a longer range short (the upstream is always cancelled early). */
public class TakePublisherTckTest extends FlowPublisherVerification<Long> {
    public TakePublisherTckTest() {
        super(TckTimeouts.synchronousEnvironment(), TckTimeouts.GC_MILLIS);
    }

    @Override
    public Flow.Publisher<Long> createFlowPublisher(long elements) {
        return Flows.take(Flows.range(0, Long.MAX_VALUE), elements);
    }

    @Override
    public Flow.Publisher<Long> createFailedFlowPublisher() {
        return Flows.take(Flows.error(new IllegalStateException("failed source")), 10);
    }
}
