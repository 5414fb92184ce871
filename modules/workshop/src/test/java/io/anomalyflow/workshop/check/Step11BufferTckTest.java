package io.anomalyflow.workshop.check;

import io.anomalyflow.flow.Flows;
import io.anomalyflow.flow.testing.TckTimeouts;
import io.anomalyflow.workshop.api.BufferStep;
import java.util.concurrent.Flow;
import org.reactivestreams.tck.flow.FlowPublisherVerification;

/**
 * Step 11, the TCK's publisher rules (§1.x, §3.x) for the buffer over a range. The buffer is
 * larger than any stream the TCK asks for, so nothing is dropped and the counts hold.
 */
public class Step11BufferTckTest extends FlowPublisherVerification<Long> {
    private static final int CAPACITY = 1024;
    private final BufferStep step = Implementations.of(BufferStep.class);

    /** The TCK with the project's timeouts (the range emits inside the buffer's request). */
    public Step11BufferTckTest() {
        super(TckTimeouts.synchronousEnvironment(), TckTimeouts.GC_MILLIS);
    }

    @Override
    public Flow.Publisher<Long> createFlowPublisher(long elements) {
        return step.dropOldest(Flows.range(0, elements), CAPACITY);
    }

    @Override
    public Flow.Publisher<Long> createFailedFlowPublisher() {
        return step.dropOldest(Flows.<Long>error(new IllegalStateException("failed source")), 16);
    }

    @Override
    public long maxElementsFromPublisher() {
        return CAPACITY;
    }
}
