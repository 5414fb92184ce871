package io.anomalyflow.client;

import io.anomalyflow.flow.MulticastHub;
import io.anomalyflow.flow.nats.JetStreamPublisher;
import io.anomalyflow.flow.nats.StartPosition;
import io.anomalyflow.flow.nats.StreamMessage;
import io.nats.client.Connection;

import java.time.Duration;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The client's Flow chain, in one place:
 *
 * <pre>
 *  JetStreamPublisher ─▶ skip what was read before ─▶ the source's chain ({@link SourceChain})
 *     (pulls follow        (a restart may overlap;       measurements: decode ─▶ rule ─▶ Detection
 *      demand)              by position)                 anomalies:    decode the event ─▶ Detection
 *    ─▶ MulticastHub ──onItem──▶ AnomalyStore.put (under the hub's lock)
 *        │
 *        └──▶ one bounded drop-oldest buffer per SSE reader, filtered by deviceId
 * </pre>
 *
 * Demand flows backwards: the hub asks for {@code prefetch} items and tops up as it dispatches, each
 * filter asks one more for each item it drops, and the publisher turns what is asked into pulls. The
 * hub never waits for a reader, so no reader slows the chain.
 *
 * <p>A pipeline is one run: it starts at a {@link StartPosition} and ends when the stream fails
 * for good (deleted, or the connection closed); {@link PipelineSupervisor} then starts another after the
 * last position this one saw ({@link #position()}): the stream sequence of the last message read,
 * in the stream the source reads. Signals come from the publisher's one thread (§1.3), so the
 * counters here need no lock.
 */
final class AnomalyPipeline {
    private final SourceChain chain;
    private final ClientMetrics metrics;
    private final AtomicLong position;
    private final ClientParts parts;
    private volatile JetStreamPublisher publisher; // the current run's source

    /**
     * @param chain    what is read and how it becomes detections
     * @param position the highest stream sequence read so far, shared by successive runs: this run
     *                 skips anything at or below it and advances it
     * @param parts    whose map and filter the chain is built with
     */
    AnomalyPipeline(SourceChain chain, ClientMetrics metrics, AtomicLong position, ClientParts parts) {
        this.chain = chain;
        this.parts = parts;
        this.metrics = metrics;
        this.position = position;
    }

    /** The stream this pipeline reads. */
    String stream() {
        return chain.stream();
    }

    /** Which app creates the stream read, for {@code /health} while it is missing. */
    String creator() {
        return chain.creator();
    }

    /** A run's reading options: the stream read and its subject filter, starting at {@code start}. */
    JetStreamPublisher.Options.Builder options(StartPosition start) {
        return JetStreamPublisher.Options.builder(chain.stream())
                .filterSubject(chain.filterSubject())
                .startPosition(start);
    }

    /** Subscribes {@code hub} to a new chain reading {@code options} through {@code nc}. */
    void run(Connection nc, JetStreamPublisher.Options options, Flow.Subscriber<Detection> hub) {
        var source = JetStreamPublisher.create(nc, options);
        publisher = source;
        chain.detections(new Stage<>(source, parts).filter(this::isNew)) // overlap after a restart: seen already
                .publisher().subscribe(hub);
    }

    /**
     * Waits at most {@code timeout} until the last run's reading thread has ended, which deletes its
     * consumer on the way out; true when it has (or there was no run). For closing: the delete needs
     * the connection, so it must be done before the connection closes.
     */
    boolean awaitStopped(Duration timeout) throws InterruptedException {
        var source = publisher;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (source != null && source.activeSubscriptions() > 0) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            Thread.sleep(5); // a bounded wait at close, for one thread that is already ending
        }
        return true;
    }

    /** The next run's start: right after the last message read, or {@code initial} before any. */
    StartPosition nextStart(StartPosition initial) {
        long last = position.get();
        return last > 0 ? StartPosition.fromSequence(last + 1) : initial;
    }

    long position() {
        return position.get();
    }

    /** Forgets the position: the next run starts at its initial position (the stream was re-created). */
    void reset() {
        position.set(0);
    }

    private boolean isNew(StreamMessage message) {
        if (message.sequence() <= position.get()) {
            return false;
        }
        position.set(message.sequence());
        metrics.messages().inc();
        return true;
    }

    /** A new hub whose {@code onItem} stores each detection and counts it. */
    static MulticastHub<Detection> newHub(AnomalyStore store, ClientMetrics metrics, int sseBuffer, int prefetch) {
        return MulticastHub.<Detection>builder()
                .prefetch(prefetch)
                .bufferSize(sseBuffer)
                .onItem(d -> {
                    store.put(d);
                    metrics.anomalies().inc();
                })
                .build();
    }
}
