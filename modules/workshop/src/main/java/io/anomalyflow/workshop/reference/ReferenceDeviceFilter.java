package io.anomalyflow.workshop.reference;

import io.anomalyflow.flow.MulticastHub;
import io.anomalyflow.flow.OverflowPolicy;
import io.anomalyflow.workshop.api.DeviceFilterStep;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

/**
 * Step 10 by {@link MulticastHub}'s per-subscriber options (flow-support, {@code HubOptions.filter}),
 * as the client serves {@code ?device=}: the filter runs before the subscriber's buffer, so other
 * devices' items never take its room. The adapter puts one hub over the source, subscribed on the
 * first {@code subscribe}, with no replay.
 */
public final class ReferenceDeviceFilter implements DeviceFilterStep {
    /** Creates the adapter. */
    public ReferenceDeviceFilter() {
    }

    @Override
    public <T> Flow.Publisher<T> view(Flow.Publisher<T> source, Predicate<? super T> keep, int capacity) {
        var hub = MulticastHub.<T>builder().bufferSize(capacity).overflow(OverflowPolicy.DROP_OLDEST).build();
        var connected = new AtomicBoolean();
        return subscriber -> {
            hub.subscribe(subscriber, hub.options().filter(keep).noReplay());
            if (connected.compareAndSet(false, true)) {
                source.subscribe(hub);
            }
        };
    }
}
