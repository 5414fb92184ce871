package io.anomalyflow.workshop;

import io.anomalyflow.flow.BufferPublisher;
import io.anomalyflow.flow.Flows;
import io.anomalyflow.workshop.api.DeviceFilterStep;
import java.util.concurrent.Flow;
import java.util.function.Predicate;

/**
 * Step 10 (workshop/steps/10-device-filter.md): one reader's view of the shared stream: only its
 * devices, through a bounded drop-oldest buffer of its own. Build it from the toolkit's
 * {@link Flows#filter} and {@link BufferPublisher#dropOldest}; the step is about where the filter goes.
 */
public final class DeviceFilter implements DeviceFilterStep {
    /** Creates the step. */
    public DeviceFilter() {
    }

    @Override
    public <T> Flow.Publisher<T> view(Flow.Publisher<T> source, Predicate<? super T> keep, int capacity) {
        // TODO 10: apply 'keep' (Flows.filter). Before the buffer or after it? Think of a reader of
        //          one quiet device while a noisy one fills the stream.
        return BufferPublisher.dropOldest(source, capacity, dropped -> { });
    }
}
