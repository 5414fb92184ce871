package io.anomalyflow.client;

import io.anomalyflow.flow.BufferPublisher;
import io.anomalyflow.flow.Flows;
import io.anomalyflow.flow.MulticastHub;
import io.anomalyflow.flow.OverflowPolicy;
import io.anomalyflow.flow.Subscribers;

import java.util.Objects;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

/**
 * An SSE reader's path when its multicast, device filter or buffer is not the client's own
 * ({@link ClientParts#readerPathPlugged()}):
 * <pre>
 *  our hub (puts into the map) ─▶ multicast (one per hub, shared) ─▶ device filter ─▶ buffer ─▶ {@link ReplayThenLive}
 * </pre>
 * Each part is the one given, or ours: our hub's own per-reader subscription for the multicast,
 * {@link Flows#filter} and {@link BufferPublisher#dropOldest} for the rest. Thread-safe.
 *
 * <p>A multicast processor of another's is made for each hub on its first reader and subscribed to
 * it with a drop-oldest buffer of the readers' size, and it is given one subscriber of ours that keeps
 * asking and keeps nothing ({@link Subscribers#consumer}), so it never runs out of subscribers (a processor may cancel its
 * upstream when its last one leaves) and a lock-step one is never held back by the lack of readers.
 * When the hub ends (the run ended, the client closes), the processor ends its readers.
 */
final class PluggedReaders {
    private final ClientParts parts;
    private final AnomalyStore store;
    private final int bufferSize;
    private final LongAdder dropped = new LongAdder();
    private MulticastHub<Detection> fannedHub; // guarded by this
    private Flow.Processor<Detection, Detection> fanout; // guarded by this: the processor over fannedHub

    PluggedReaders(ClientParts parts, AnomalyStore store, int bufferSize) {
        this.parts = Objects.requireNonNull(parts, "parts");
        this.store = Objects.requireNonNull(store, "store");
        this.bufferSize = bufferSize;
    }

    /** The stream of one reader of {@code hub}: replayed after {@code seen}, then live; {@code deviceId} null for all. */
    Flow.Publisher<Detection> reader(MulticastHub<Detection> hub, long seen, String deviceId) {
        Predicate<Detection> keep = d -> deviceId == null || deviceId.equals(d.deviceId());
        var live = view(shared(hub), keep);
        return new ReplayThenLive(() -> store.replayAfter(seen, deviceId), live, seen);
    }

    /** Items dropped by the buffers of ours on this path (another's buffer does not say). */
    long droppedTotal() {
        return dropped.sum();
    }

    /** The live stream all readers of {@code hub} share. */
    private Flow.Publisher<Detection> shared(MulticastHub<Detection> hub) {
        if (parts.multicast() == null) {
            return subscriber -> hub.subscribe(subscriber, hubOptions(hub));
        }
        synchronized (this) {
            if (fannedHub != hub) {
                Flow.Processor<Detection, Detection> processor = parts.multicast().create();
                processor.subscribe(Subscribers.consumer(d -> { })); // keeps it flowing, keeps nothing
                hub.subscribe(processor, hubOptions(hub));
                fannedHub = hub;
                fanout = processor;
            }
            return fanout;
        }
    }

    private io.anomalyflow.flow.HubOptions<Detection> hubOptions(MulticastHub<Detection> hub) {
        return hub.options().bufferSize(bufferSize).overflow(OverflowPolicy.DROP_OLDEST).noReplay();
    }

    /** The device filter before the buffer: the parts' own, or ours. */
    private Flow.Publisher<Detection> view(Flow.Publisher<Detection> source, Predicate<Detection> keep) {
        if (parts.deviceFilter() != null) {
            var viewed = parts.deviceFilter().view(source, keep, bufferSize);
            // another's buffer after another's view: the view's own buffer is always drained at once
            return parts.buffer() != null ? parts.buffer().dropOldest(viewed, bufferSize) : viewed;
        }
        var filtered = Flows.filter(source, keep);
        return parts.buffer() != null ? parts.buffer().dropOldest(filtered, bufferSize)
                : BufferPublisher.dropOldest(filtered, bufferSize, d -> dropped.increment());
    }
}
