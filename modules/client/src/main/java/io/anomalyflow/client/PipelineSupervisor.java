package io.anomalyflow.client;

import io.anomalyflow.flow.MulticastHub;
import io.anomalyflow.flow.nats.JetStreamPublisher;
import io.anomalyflow.flow.nats.StartPosition;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.api.StreamInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Keeps one {@link AnomalyPipeline} run reading, on one virtual thread, and says how it is doing.
 *
 * <p><b>The stream must exist.</b> The client only reads; the gateway owns the stream's definition
 * (storage, max age), so the client never creates it. While it is missing the supervisor checks again
 * every second and {@code /health} answers 503 "waiting for stream …"; SSE readers may already connect
 * (they get the map's content and go live when the run starts).
 *
 * <p><b>Runs.</b> The JetStream publisher rides out reconnects and server restarts by itself; it ends
 * only when it cannot go on (the stream was deleted, messages it needed were removed, the connection
 * closed). Then this starts a new run after a pause, from right after the last sequence read, with a
 * new hub: the old hub ends its readers' streams, and they reconnect (browsers do so by themselves)
 * with {@code Last-Event-ID}, which the map answers without gap or duplicate. The next hub exists
 * before the old one ends, so a reader that reconnects at once joins the new one.
 *
 * <p>Threads: the loop thread owns runs; {@link #hub()} and {@link #health()} may be called from any
 * thread.
 */
final class PipelineSupervisor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PipelineSupervisor.class);
    private static final int STREAM_NOT_FOUND = io.anomalyflow.flow.nats.JetStreamErrors.STREAM_NOT_FOUND;
    private static final Duration RETRY = Duration.ofSeconds(1);
    /**
     * The hub's demand upstream, and so the most messages a pull may ask for. The hub tops up after
     * 75 %, so at least a quarter of it is always in flight: with 512 a catch-up spent half its time
     * waiting for pulls (~190k msg/s); with 8192 at least 2048 messages are on their way and it reads
     * ~270k msg/s. It costs nothing while live: only what the server sends is held, at most this many.
     */
    private static final int HUB_PREFETCH = 8192;

    /** How reading is going, for {@code /health}. */
    enum Phase { WAITING_FOR_STREAM, READING, RESTARTING, CLOSED }

    /** A health answer: healthy or not, and why. */
    record Health(boolean ok, Phase phase, String reason) {
    }

    private final Connection nc;
    private final ClientConfig config;
    private final AnomalyStore store;
    private final ClientMetrics metrics;
    private final AnomalyPipeline pipeline;
    private final AtomicReference<MulticastHub<Detection>> hub = new AtomicReference<>();
    private final AtomicLong retiredDrops = new AtomicLong();
    /** The stream's last sequence when the current run started (0 until the first run). */
    private final AtomicLong streamLastSeq = new AtomicLong();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition stateChanged = lock.newCondition();
    private volatile Phase phase = Phase.WAITING_FOR_STREAM;
    private volatile String reason = "starting: looking for the stream";
    private volatile boolean closed;
    private Thread loop;

    PipelineSupervisor(Connection nc, ClientConfig config, AnomalyStore store, ClientMetrics metrics,
            AnomalyPipeline pipeline) {
        this.nc = Objects.requireNonNull(nc, "nc");
        this.config = config;
        this.store = store;
        this.metrics = metrics;
        this.pipeline = pipeline;
        hub.set(newHub());
    }

    /** Starts the loop thread. */
    void start() {
        loop = Thread.ofVirtual().name("client-pipeline").start(this::superviseRuns);
    }

    /** The hub SSE readers join now (never null; replaced when a run ends). */
    MulticastHub<Detection> hub() {
        return hub.get();
    }

    /** Items dropped by every reader's buffer, over all runs; never goes down (see {@link #replaceHub}). */
    long droppedTotal() {
        lock.lock();
        try {
            return retiredDrops.get() + hub.get().droppedTotal();
        } finally {
            lock.unlock();
        }
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
            long last = nc.jetStreamManagement().getStreamInfo(config.stream()).getStreamState().getLastSequence();
            return Math.max(known, last);
        } catch (IOException | JetStreamApiException | IllegalStateException e) {
            return known;
        }
    }

    /** 200-worthy while connected and a run is reading; otherwise why not. */
    Health health() {
        var p = phase;
        if (p == Phase.READING) {
            var status = nc.getStatus();
            if (status != Connection.Status.CONNECTED) {
                return new Health(false, p, "NATS connection is " + status.name().toLowerCase(java.util.Locale.ROOT));
            }
            return new Health(true, p, "reading stream " + config.stream());
        }
        return new Health(false, p, reason);
    }

    /** Blocks until a run is reading or {@code timeout} passed; true when reading. For start-up and tests. */
    boolean awaitReading(Duration timeout) throws InterruptedException {
        long left = timeout.toNanos();
        lock.lock();
        try {
            while (phase != Phase.READING && !closed) {
                if (left <= 0) {
                    return false;
                }
                left = stateChanged.awaitNanos(left);
            }
            return phase == Phase.READING;
        } finally {
            lock.unlock();
        }
    }

    /** Stops the loop, ends the current run (cancelling its consumer) and completes its readers. */
    @Override
    public void close() {
        closed = true;
        setPhase(Phase.CLOSED, "closed");
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
    }

    private void superviseRuns() {
        var initial = initialStart();
        ZonedDateTime streamCreated = null; // of the stream the previous run read
        try {
            while (!closed) {
                var info = streamInfo();
                if (info == null) {
                    Thread.sleep(RETRY.toMillis());
                    continue;
                }
                var created = info.getCreateTime();
                if (streamCreated != null && (!streamCreated.equals(created)
                        || info.getStreamState().getLastSequence() < pipeline.position())) {
                    // The stream was deleted and created again: what the map holds belongs to the old
                    // one, and its sequences would clash with the new one's. Start afresh.
                    LOG.warn("stream {} was re-created (at {}); clearing the map and reading it from the start",
                            config.stream(), created);
                    store.clear();
                    pipeline.reset();
                    initial = StartPosition.all();
                }
                streamCreated = created;
                streamLastSeq.set(info.getStreamState().getLastSequence());
                var current = hub.get();
                var ended = new CompletableFuture<Throwable>();
                var options = JetStreamPublisher.Options.builder(config.stream())
                        .filterSubject(config.subject())
                        .startPosition(pipeline.nextStart(initial))
                        .maxBatch(HUB_PREFETCH)
                        .build();
                pipeline.run(nc, options, new RunEnd(current, this::replaceHub, ended));
                setPhase(Phase.READING, "reading");
                var failure = waitFor(ended);
                if (closed) {
                    return;
                }
                var why = failure == null ? "the stream ended" : String.valueOf(failure.getMessage());
                LOG.warn("reading stream {} stopped ({}); starting again after sequence {} in {} s",
                        config.stream(), why, pipeline.position(), RETRY.toSeconds());
                setPhase(Phase.RESTARTING, "reading stopped: " + why);
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
            return nc.jetStreamManagement().getStreamInfo(config.stream());
        } catch (JetStreamApiException e) {
            var why = e.getApiErrorCode() == STREAM_NOT_FOUND
                    ? "waiting for stream " + config.stream() + " (the gateway creates it)"
                    : "JetStream refused to describe stream " + config.stream() + ": " + e.getMessage();
            setPhase(Phase.WAITING_FOR_STREAM, why);
        } catch (IOException | IllegalStateException e) {
            setPhase(Phase.WAITING_FOR_STREAM, "JetStream does not answer: " + e.getMessage());
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

    /**
     * Called by a run's end, before its hub hears of it: later readers join the next hub. The old
     * hub's drops move to {@code retiredDrops} under the same lock as {@link #droppedTotal()} reads
     * them, so the metric never counts them twice or not at all.
     */
    private void replaceHub(MulticastHub<Detection> old) {
        lock.lock();
        try {
            if (!closed && hub.compareAndSet(old, newHub())) {
                retiredDrops.addAndGet(old.droppedTotal());
            }
        } finally {
            lock.unlock();
        }
    }

    private MulticastHub<Detection> newHub() {
        return AnomalyPipeline.newHub(store, metrics, config.sseBuffer(), HUB_PREFETCH);
    }

    private void setPhase(Phase p, String why) {
        lock.lock();
        try {
            if (phase == Phase.CLOSED && p != Phase.CLOSED) {
                return;
            }
            phase = p;
            reason = why;
            stateChanged.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
