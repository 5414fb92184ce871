package io.anomalyflow.flow;

import io.anomalyflow.flow.testing.TckTimeouts;
import io.anomalyflow.flow.testing.SeqPublisher;
import java.util.concurrent.Flow;
import org.reactivestreams.tck.flow.FlowPublisherVerification;

/**
 * The TCK's publisher rules for {@link BufferPublisher} over a synchronous source. The buffer is
 * larger than any stream the TCK asks for, so nothing is dropped and the element counts hold.
 */
public class BufferPublisherTckTest extends FlowPublisherVerification<Integer> {
    /** The source is drained unbounded into the buffer, so a stream must fit in it. */
    private static final int MAX_ELEMENTS = 1024;

    public BufferPublisherTckTest() {
        super(TckTimeouts.synchronousEnvironment(), TckTimeouts.GC_MILLIS); // the source emits inside request()
    }

    @Override
    public Flow.Publisher<Integer> createFlowPublisher(long elements) {
        return BufferPublisher.dropOldest(new SeqPublisher(elements), MAX_ELEMENTS, dropped -> {
            throw new AssertionError("the TCK stream must not overflow the buffer, dropped " + dropped);
        });
    }

    @Override
    public Flow.Publisher<Integer> createFailedFlowPublisher() {
        Flow.Publisher<Integer> failing = s -> Subscriptions.error(s, new IllegalStateException("source failed"));
        return BufferPublisher.dropOldest(failing, 16, dropped -> { });
    }

    @Override
    public long maxElementsFromPublisher() {
        return MAX_ELEMENTS;
    }
}
