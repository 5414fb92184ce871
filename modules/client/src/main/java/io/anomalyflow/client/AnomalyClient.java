package io.anomalyflow.client;

import io.anomalyflow.app.Units;
import io.anomalyflow.app.WebServer;
import io.anomalyflow.events.EventCodec;
import io.anomalyflow.flow.nats.NatsConnections;
import io.anomalyflow.flow.nats.NatsTrouble;
import io.nats.client.Connection;
import io.nats.client.Nats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The anomaly client as a library: {@link #start(ClientConfig)} connects to NATS, starts reading the
 * stream ({@link AnomalyPipeline}, kept running by {@link PipelineSupervisor}), the expiring map's
 * sweeper and the HTTP server; {@link #close()} stops all of it. Several clients can run in one JVM
 * (no static mutable state), each on its own port.
 *
 * <p>HTTP (see {@code docs/architecture.md}): {@code GET /anomalies}, {@code GET /anomalies/stream} (SSE) and its
 * aliases {@code /anomalytracker/anomalies}, {@code /anomalytracker/{deviceId}/anomalies}, the page
 * {@code /} (with {@code /app.js}, {@code /app.css}), {@code /health}, {@code /metrics}.
 */
public final class AnomalyClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AnomalyClient.class);
    private static final int STOP_GRACE_SECONDS = 2;
    private static final Duration STOP_GRACE = Duration.ofSeconds(STOP_GRACE_SECONDS);

    private final ClientConfig config;
    private final ClientParts parts;
    private final boolean sayWhose;
    private final Connection nc;
    private final AnomalyStore store;
    private final PipelineSupervisor supervisor;
    private final StreamHandler streams;
    private final ScheduledExecutorService sweeper;
    private final WebServer web;
    private final AtomicBoolean closed = new AtomicBoolean();

    private AnomalyClient(ClientConfig config, ClientParts parts, boolean sayWhose, Connection nc, AnomalyStore store,
            PipelineSupervisor supervisor, StreamHandler streams, ScheduledExecutorService sweeper, WebServer web) {
        this.config = config;
        this.parts = parts;
        this.sayWhose = sayWhose;
        this.nc = nc;
        this.store = store;
        this.supervisor = supervisor;
        this.streams = streams;
        this.sweeper = sweeper;
        this.web = web;
    }

    /**
     * Starts a client. Returns once the HTTP server listens and the reading has started (the stream
     * may not exist yet: then {@code /health} says so until it does).
     *
     * @throws IOException when NATS cannot be reached or the HTTP port cannot be bound
     */
    public static AnomalyClient start(ClientConfig config) throws IOException, InterruptedException {
        return start(config, ClientParts.ours(), false);
    }

    /**
     * Starts a client whose chain is built with {@code parts} ({@link ClientParts}: each part given
     * takes the place of ours); otherwise as {@link #start(ClientConfig)}. The start-up line
     * ({@link #describe()}) and {@code /health} say which parts are whose, even when all are ours.
     *
     * @throws IOException when NATS cannot be reached or the HTTP port cannot be bound
     */
    public static AnomalyClient start(ClientConfig config, ClientParts parts) throws IOException, InterruptedException {
        return start(config, parts, true);
    }

    private static AnomalyClient start(ClientConfig config, ClientParts parts, boolean sayWhose)
            throws IOException, InterruptedException {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(parts, "parts");
        var codec = EventCodec.create();
        var store = AnomalyStore.create(config.ttl(), config.maxAnomalies(), config.clock());
        if (parts.history() != null) {
            store.sweptBy(parts.history());
        }
        var metrics = new ClientMetrics();
        var trouble = new NatsTrouble(error -> LOG.warn("NATS server error: {}", error));
        var nc = connect(config, trouble);
        ScheduledExecutorService sweeper = null;
        PipelineSupervisor supervisor = null;
        try {
            var pipeline = new AnomalyPipeline(SourceChain.of(config, codec, metrics), metrics, new AtomicLong(), parts);
            supervisor = new PipelineSupervisor(nc, trouble, config, store, metrics, pipeline);
            var streams = new StreamHandler(store, supervisor, codec, metrics, config.sseBuffer(), config.heartbeat(), parts);
            var hubs = supervisor;
            metrics.bind(store, () -> hubs.droppedTotal() + streams.droppedOutsideHub());
            var router = ClientRoutes.routes(config, new AnomaliesHandler(store, codec), streams,
                    new HealthHandler(supervisor, pipeline, store, sayWhose ? parts : null), metrics.registry().handler());
            sweeper = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("client-sweeper").factory());
            long every = sweepInterval(config.ttl()).toMillis();
            sweeper.scheduleWithFixedDelay(store::expire, every, every, TimeUnit.MILLISECONDS);
            var web = WebServer.start(config.bind(), config.port(), router.build(), STOP_GRACE, config.access().tls());
            supervisor.start();
            return new AnomalyClient(config, parts, sayWhose, nc, store, supervisor, streams, sweeper, web);
        } catch (IOException | RuntimeException e) {
            if (supervisor != null) {
                supervisor.close();
            }
            if (sweeper != null) {
                sweeper.shutdownNow();
            }
            nc.close();
            throw e;
        }
    }

    /**
     * Connects with the configured TLS trust and credentials; a failure names its cause (refused
     * credentials, an untrusted certificate, nothing there) instead of jnats' "Unable to connect".
     */
    private static Connection connect(ClientConfig config, NatsTrouble trouble) throws IOException, InterruptedException {
        var options = NatsConnections.options(config.natsUrl(), "anomalyflow-client", config.natsAuth())
                .errorListener(trouble).connectionListener(trouble).build();
        try {
            return Nats.connect(options);
        } catch (IOException e) {
            throw new IOException(trouble.explainConnectFailure(e, NatsConnections.redact(config.natsUrl())), e);
        }
    }

    /** The port the HTTP server listens on (the chosen one when started with port 0). */
    public int port() {
        return web.port();
    }

    /** {@code http://host:port} of the HTTP server. */
    public URI url() {
        return web.url();
    }

    public ClientConfig config() {
        return config;
    }

    /** Whose parts the chain is built with ({@link ClientParts#ours()} unless started with others). */
    public ClientParts parts() {
        return parts;
    }

    /** The start-up line: where it listens and what it reads. */
    public String describe() {
        var reads = switch (config.source()) {
            case MEASUREMENTS -> "measurements from stream " + config.stream() + " subject " + config.subject()
                    + " (threshold " + config.threshold().toPlainString() + ")";
            case ANOMALIES -> "anomaly events from stream " + config.anomaliesStream();
        };
        return "client listening on " + url() + " (page /, GET /anomalies, SSE /anomalies/stream"
                + (config.token() == null ? "" : "; reads need the token") + "), reading " + reads
                + " from " + nc.getConnectedUrl() + "; replay " + config.replay().name().toLowerCase(java.util.Locale.ROOT)
                + ", ttl " + Units.formatDuration(config.ttl()) + ", max " + config.maxAnomalies() + " anomalies"
                + (sayWhose ? "; workshop parts: " + parts.describe() : "");
    }

    /** Whether the client is connected and reading (what {@code /health} answers 200 for). */
    public boolean isReading() {
        return supervisor.health().ok();
    }

    /** Blocks until the client reads its stream, or the timeout passes (false then). */
    public boolean awaitReading(Duration timeout) throws InterruptedException {
        return supervisor.awaitReading(timeout);
    }

    AnomalyStore store() {
        return store;
    }

    /** Readers subscribed to the current hub now (for tests: a reader that left must not stay). */
    int hubSubscribers() {
        return supervisor.hub().subscriberCount();
    }

    /**
     * Stops everything: ends every SSE stream, stops the HTTP server (it stops listening at once;
     * requests in flight get {@value #STOP_GRACE_SECONDS} s), stops reading (the consumer is
     * deleted), the sweeper, and the NATS connection. Idempotent.
     *
     * <p>The order is for browsers: an {@code EventSource} reconnects by itself after a stream that
     * ended or a refused connection, but gives up for good on any status but 200. So the streams end
     * first (a stream asked for meanwhile gets 200 and ends at once), then the port closes, and the
     * readers come back with their {@code Last-Event-ID} when a client listens there again.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        stopStreaming();      // readers are told to come back later, even one stuck on a full socket
        web.close();          // refused from now on, which they retry too
        supervisor.close();
        sweeper.shutdownNow();
        try {
            nc.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("client on port {} stopped", web.port());
    }

    /** Ends every SSE stream; streams asked for from now on end at once (the first step of {@link #close()}). */
    void stopStreaming() {
        streams.close();
    }

    /** A tenth of the TTL, between 50 ms and 1 s: expired anomalies leave the metric soon after they leave reads. */
    static Duration sweepInterval(Duration ttl) {
        var tenth = ttl.dividedBy(10);
        if (tenth.compareTo(Duration.ofMillis(50)) < 0) {
            return Duration.ofMillis(50);
        }
        return tenth.compareTo(Duration.ofSeconds(1)) > 0 ? Duration.ofSeconds(1) : tenth;
    }
}
