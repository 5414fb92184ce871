package io.anomalyflow.workshop.reference;

import io.anomalyflow.flow.BufferPublisher;
import io.anomalyflow.workshop.api.BufferStep;
import java.util.concurrent.Flow;

/** Step 11 by {@link BufferPublisher#dropOldest} (flow-support; its drain loop is {@code BufferedSubscription}). */
public final class ReferenceBuffer implements BufferStep {
    /** Creates the adapter. */
    public ReferenceBuffer() {
    }

    @Override
    public <T> Flow.Publisher<T> dropOldest(Flow.Publisher<T> source, int capacity) {
        return BufferPublisher.dropOldest(source, capacity, dropped -> { });
    }
}
