package io.anomalyflow.flow;

import io.anomalyflow.flow.testing.TckTimeouts;
import java.util.concurrent.Flow;
import org.reactivestreams.tck.flow.FlowPublisherVerification;

/** TCK for {@link Flows#map} over a range; the failed publisher maps a failed source. */
public class MapPublisherTckTest extends FlowPublisherVerification<String> {
    public MapPublisherTckTest() {
        super(TckTimeouts.synchronousEnvironment(), TckTimeouts.GC_MILLIS);
    }

    @Override
    public Flow.Publisher<String> createFlowPublisher(long elements) {
        return Flows.map(Flows.range(0, elements), n -> "#" + n);
    }

    @Override
    public Flow.Publisher<String> createFailedFlowPublisher() {
        return Flows.map(Flows.error(new IllegalStateException("failed source")), n -> "#" + n);
    }
}
