package io.anomalyflow.client;

import io.anomalyflow.events.AnomalyRule;
import io.anomalyflow.events.EventCodec;
import io.anomalyflow.events.InvalidEventException;
import io.anomalyflow.events.Measurement;
import io.anomalyflow.flow.MulticastHub;
import io.anomalyflow.flow.Pipe;
import io.anomalyflow.flow.nats.JetStreamPublisher;
import io.anomalyflow.flow.nats.StartPosition;
import io.anomalyflow.flow.nats.StreamMessage;
import io.nats.client.Connection;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The client's Flow chain, in one place:
 *
 * <pre>
 *  JetStreamPublisher ─▶ skip what was read before ─▶ decode (poison → skipped, counted) ─▶ rule filter
 *     (pulls follow        (a restart may overlap)       bytes → Measurement                 value ≤ threshold
 *      demand)
 *    ─▶ map to Detection ─▶ MulticastHub ──onItem──▶ AnomalyStore.put (under the hub's lock)
 *       seq = stream seq     │
 *       + stream time        └──▶ one bounded drop-oldest buffer per SSE reader, filtered by deviceId
 * </pre>
 *
 * Demand flows backwards: the hub asks for {@code prefetch} items and tops up as it dispatches, each
 * filter asks one more for each item it drops, and the publisher turns what is asked into pulls. The
 * hub never waits for a reader, so no reader slows the chain.
 *
 * <p>A pipeline is one run: it starts at a {@link StartPosition} and ends when the stream fails
 * for good (deleted, or the connection closed); {@link PipelineSupervisor} then starts another after the last
 * sequence this one saw ({@link #position()}). Signals come from the publisher's one thread (§1.3),
 * so the counters here need no lock.
 */
final class AnomalyPipeline {
    private final EventCodec codec;
    private final AnomalyRule rule;
    private final ClientMetrics metrics;
    private final AtomicLong position;
    private volatile JetStreamPublisher publisher; // the current run's source

    /**
     * @param position the highest stream sequence read so far, shared by successive runs: this run
     *                 skips anything at or below it and advances it
     */
    AnomalyPipeline(EventCodec codec, AnomalyRule rule, ClientMetrics metrics, AtomicLong position) {
        this.codec = codec;
        this.rule = rule;
        this.metrics = metrics;
        this.position = position;
    }

    /** Subscribes {@code hub} to a new chain reading {@code options} through {@code nc}. */
    void run(Connection nc, JetStreamPublisher.Options options, Flow.Subscriber<Detection> hub) {
        var source = JetStreamPublisher.create(nc, options);
        publisher = source;
        Pipe.from(source)
                .filter(this::isNew)                            // overlap after a restart: seen already
                .map(this::decode)                              // a poison message becomes empty
                .filter(Optional::isPresent)                    //   and is skipped (counted in decode)
                .map(Optional::get)
                .filter(r -> rule.isAnomaly(r.measurement()))  // at or below the threshold
                .map(this::detect)                              // seq = stream sequence, TTL from stream time
                .subscribe(hub);
    }

    /** A measurement read from the stream, with where and when it was stored. */
    record Received(long seq, Instant streamTime, Measurement measurement) {
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

    private Optional<Received> decode(StreamMessage message) {
        try {
            var m = codec.decodeMeasurement(message.data());
            return Optional.of(new Received(message.sequence(), message.timestamp(), m));
        } catch (InvalidEventException e) {
            metrics.invalidMessage(message.sequence(), e.getMessage());
            return Optional.empty();
        }
    }

    private Detection detect(Received r) {
        // isAnomaly passed just before, so check() has an anomaly to give
        var anomaly = rule.check(r.seq(), r.measurement()).orElseThrow();
        return new Detection(anomaly, r.streamTime());
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
