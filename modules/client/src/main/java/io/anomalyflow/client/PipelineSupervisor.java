package io.anomalyflow.client;

import io.anomalyflow.client.ReadingHealth.Phase;
import io.anomalyflow.flow.MulticastHub;
import io.anomalyflow.flow.nats.NatsTrouble;
import io.anomalyflow.flow.nats.StartPosition;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.api.StreamInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps one {@link AnomalyPipeline} run reading, on one virtual thread, and says how it is doing.
 *
 * <p>The stream is the one the pipeline's source reads ({@link AnomalyPipeline#stream()}): the
 * measurements or the anomaly events; all below holds for either, and "sequence" means a sequence
 * in that stream.
 *
 * <p><b>The stream must exist.</b> The client only reads; the app that writes it (the gateway, the
 * detector) owns the stream's definition (storage, max age), so the client never creates it. While it is missing the supervisor checks again
 * every second and {@code /health} answers 503 "waiting for stream …"; SSE readers may already connect
 * (they get the map's content and go live when the run starts).
 *
 * <p><b>Runs.</b> The JetStream publisher rides out reconnects and server restarts by itself; it ends
 * only when it cannot go on (the stream was deleted, messages it needed were removed, the connection
 * closed). Then this starts a new run after a pause, from right after the last sequence read, with a
 * new hub: the old hub ends its readers' streams, and they reconnect (browsers do so by themselves)
 * with {@code Last-Event-ID}, which the map answers without gap or duplicate. The next hub exists
 * before the old one ends, so a reader that reconnects at once joins the new one ({@link CurrentHub}).
 * A stream deleted and created again under the same name ({@link StreamIdentity}) empties the map
 * and is read from its start.
 *
 * <p>Threads: the loop thread owns runs; {@link #hub()}, {@link #health()} ({@link ReadingHealth})
 * and the counters may be called from any thread.
 */
final class PipelineSupervisor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PipelineSupervisor.class);
    private static final int STREAM_NOT_FOUND = io.anomalyflow.flow.nats.JetStreamErrors.STREAM_NOT_FOUND;
    private static final Duration RETRY = Duration.ofSeconds(1);
    /**
     * The hub's demand upstream, and so the largest pull: deep enough that a catch-up never waits for
     * the server (docs/performance.md); live, only what the server sends is held.
     */
    private static final int HUB_PREFETCH = 8192;

    private final Connection nc;
    private final ClientConfig config;
    private final AnomalyStore store;
    private final AnomalyPipeline pipeline;
    private final CurrentHub hub;
    private final ReadingHealth health;
    private final StreamIdentity streamIdentity = new StreamIdentity();
    /** The stream's last sequence when the current run started (0 until the first run). */
    private final AtomicLong streamLastSeq = new AtomicLong();
    private volatile boolean closed;
    private Thread loop;

    PipelineSupervisor(Connection nc, NatsTrouble trouble, ClientConfig config, AnomalyStore store, ClientMetrics metrics,
            AnomalyPipeline pipeline) {
        this.nc = Objects.requireNonNull(nc, "nc");
        this.config = config;
        this.store = store;
        this.pipeline = pipeline;
        this.hub = new CurrentHub(() -> AnomalyPipeline.newHub(store, metrics, config.sseBuffer(), HUB_PREFETCH));
        this.health = new ReadingHealth(nc::getStatus, trouble::reason, pipeline.stream());
    }

    /** Starts the loop thread. */
    void start() {
        loop = Thread.ofVirtual().name("client-pipeline").start(this::superviseRuns);
    }

    /** The hub SSE readers join now (never null; replaced when a run ends). */
    MulticastHub<Detection> hub() {
        return hub.get();
    }

    /** Items dropped by every reader's buffer, over all runs; never goes down. */
    long droppedTotal() {
        return hub.droppedTotal();
    }

    /**
     * The highest sequence the stream is known to hold: the highest read, or the stream's last one
     * when the current run started. When {@code atLeast} is above both, the stream itself is asked: a
     * reader's {@code Last-Event-ID} just after this client restarted, while the map is still being
     * rebuilt. When the stream cannot be asked, what is known is returned.
     */
    long lastSeqKnown(long atLeast) {
        long known = Math.max(streamLastSeq.get(), pipeline.position());
        if (known >= atLeast) {
            return known;
        }
        try {
            long last = nc.jetStreamManagement().getStreamInfo(pipeline.stream()).getStreamState().getLastSequence();
            return Math.max(known, last);
        } catch (IOException | JetStreamApiException | IllegalStateException e) {
            return known;
        }
    }

    /** 200-worthy while connected and a run is reading; otherwise why not. */
    ReadingHealth.Health health() {
        return health.health();
    }

    /** Blocks until a run is reading or {@code timeout} passed; true when reading. For start-up and tests. */
    boolean awaitReading(Duration timeout) throws InterruptedException {
        return health.awaitReading(timeout);
    }

    /** Stops the loop, ends the current run and completes its readers; returns once its consumer is deleted (at most 5 s). */
    @Override
    public void close() {
        closed = true;
        hub.stopReplacing();
        health.set(Phase.CLOSED, "closed");
        var t = loop;
        if (t != null) {
            t.interrupt();
            try {
                t.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        hub.get().close();
        try {
            if (!pipeline.awaitStopped(Duration.ofSeconds(5))) {
                LOG.warn("the reading thread did not end within 5 s; its consumer may stay until the server drops it");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void superviseRuns() {
        var initial = initialStart();
        try {
            while (!closed) {
                var info = streamInfo();
                if (info == null) {
                    Thread.sleep(RETRY.toMillis());
                    continue;
                }
                var created = info.getCreateTime();
                if (streamIdentity.recreated(created, info.getStreamState().getLastSequence(), pipeline.position())) {
                    // What the map holds belongs to the old stream: start afresh.
                    LOG.warn("stream {} was re-created (at {}); clearing the map and reading it from the start",
                            pipeline.stream(), created);
                    // What readers are told is known about the stream changes before the map
                    // empties, so one who joins as it empties is not held to the old stream's ids.
                    pipeline.reset();
                    streamLastSeq.set(info.getStreamState().getLastSequence());
                    store.clear();
                    initial = StartPosition.all();
                }
                streamLastSeq.set(info.getStreamState().getLastSequence());
                var current = hub.get();
                var ended = new CompletableFuture<Throwable>();
                var options = pipeline.options(pipeline.nextStart(initial)).maxBatch(HUB_PREFETCH).build();
                pipeline.run(nc, options, new HubHandover(current, hub::replace, ended));
                health.set(Phase.READING, "reading");
                var failure = waitFor(ended);
                if (closed) {
                    return;
                }
                var why = failure == null ? "the stream ended" : String.valueOf(failure.getMessage());
                LOG.warn("reading stream {} stopped ({}); starting again after sequence {} in {} s",
                        pipeline.stream(), why, pipeline.position(), RETRY.toSeconds());
                health.set(Phase.RESTARTING, "reading stopped: " + why);
                Thread.sleep(RETRY.toMillis());
            }
        } catch (InterruptedException e) {
            // close() interrupts the loop: nothing left to do
        }
    }

    private StartPosition initialStart() {
        return switch (config.replay()) {
            case ALL -> StartPosition.all();
            case NEW -> StartPosition.newOnly();
            case TTL -> StartPosition.fromTime(config.clock().instant().minus(config.ttl()));
        };
    }

    /** The stream's info, or null (and the reason recorded for /health) when it cannot be had. */
    private StreamInfo streamInfo() {
        try {
            return nc.jetStreamManagement().getStreamInfo(pipeline.stream());
        } catch (JetStreamApiException e) {
            var why = e.getApiErrorCode() == STREAM_NOT_FOUND
                    ? "waiting for stream " + pipeline.stream() + " (" + pipeline.creator() + " creates it)"
                    : "JetStream refused to describe stream " + pipeline.stream() + ": " + e.getMessage();
            health.set(Phase.WAITING_FOR_STREAM, why);
        } catch (IOException | IllegalStateException e) {
            health.set(Phase.WAITING_FOR_STREAM, "JetStream does not answer: " + e.getMessage());
        }
        return null;
    }

    private Throwable waitFor(CompletableFuture<Throwable> ended) throws InterruptedException {
        try {
            return ended.get();
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }
}
