package io.anomalyflow.workshop.reference;

import io.anomalyflow.flow.MulticastHub;
import io.anomalyflow.workshop.api.MulticastStep;
import java.util.concurrent.Flow;

/**
 * Step 08 by {@link MulticastHub} (flow-support), the client's shared hot stream: it prefetches
 * from upstream on its own and gives each subscriber a bounded buffer, so subscribers are served
 * on their own demand (not lock-step). Buffers of 1024 items; it cancels its upstream when its
 * last subscriber leaves.
 */
public final class ReferenceMulticast implements MulticastStep {
    /** Creates the adapter. */
    public ReferenceMulticast() {
    }

    @Override
    public <T> Flow.Processor<T, T> create() {
        return MulticastHub.<T>builder().bufferSize(1024).autoCancel(true).build();
    }

    @Override
    public boolean coordinatedEmission() {
        return false;
    }
}
