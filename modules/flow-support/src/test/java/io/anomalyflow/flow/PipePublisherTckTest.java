package io.anomalyflow.flow;

import io.anomalyflow.flow.testing.TckTimeouts;
import java.util.concurrent.Flow;
import org.reactivestreams.tck.flow.FlowPublisherVerification;

/** TCK for a whole {@link Pipe} chain: map, filter and take over an infinite source. */
public class PipePublisherTckTest extends FlowPublisherVerification<String> {
    public PipePublisherTckTest() {
        super(TckTimeouts.synchronousEnvironment(), TckTimeouts.GC_MILLIS);
    }

    @Override
    public Flow.Publisher<String> createFlowPublisher(long elements) {
        return Pipe.from(Flows.range(0, Long.MAX_VALUE))
                .filter(n -> n % 3 != 0)
                .map(n -> "#" + n)
                .take(elements);
    }

    @Override
    public Flow.Publisher<String> createFailedFlowPublisher() {
        return Pipe.<Long>from(Flows.error(new IllegalStateException("failed source"))).map(n -> "#" + n);
    }
}
