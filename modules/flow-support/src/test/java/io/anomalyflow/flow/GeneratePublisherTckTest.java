package io.anomalyflow.flow;

import io.anomalyflow.flow.testing.TckTimeouts;
import java.util.concurrent.Flow;
import org.reactivestreams.tck.flow.FlowPublisherVerification;

/**
 * TCK for {@link Flows#generate}, made finite by {@link Flows#take}. Its only failure (a throwing
 * supplier) needs demand, while the TCK's failed publisher must fail without any, so the
 * failed-publisher tests are skipped here and the failure is unit-tested in {@code FlowsTest}.
 */
public class GeneratePublisherTckTest extends FlowPublisherVerification<String> {
    public GeneratePublisherTckTest() {
        super(TckTimeouts.synchronousEnvironment(), TckTimeouts.GC_MILLIS);
    }

    @Override
    public Flow.Publisher<String> createFlowPublisher(long elements) {
        return Flows.take(Flows.generate(() -> "tick"), elements);
    }

    @Override
    public Flow.Publisher<String> createFailedFlowPublisher() {
        return null;
    }
}
