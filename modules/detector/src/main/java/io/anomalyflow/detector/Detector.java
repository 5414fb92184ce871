package io.anomalyflow.detector;

import com.sun.net.httpserver.HttpExchange;
import io.anomalyflow.app.Json;
import io.anomalyflow.app.Responses;
import io.anomalyflow.app.BearerAuth;
import io.anomalyflow.app.Router;
import io.anomalyflow.app.WebServer;
import io.anomalyflow.events.EventCodec;
import io.anomalyflow.flow.nats.IncompatibleStreamException;
import io.anomalyflow.flow.nats.JetStreamAppender;
import io.anomalyflow.flow.nats.JetStreamErrors;
import io.anomalyflow.flow.nats.NatsConnections;
import io.anomalyflow.flow.nats.NatsTrouble;
import io.anomalyflow.flow.nats.StreamSetup;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamOptions;
import io.nats.client.Nats;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.StreamConfiguration;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running detector: one worker of a detector group. {@link #start} connects to NATS, makes sure the
 * anomalies' stream exists and fits, and serves
 * <ul>
 *   <li>{@code GET /health}: 200 while it reads and stores, else 503 with the reason (the measurements'
 *       stream missing, NATS away, the anomalies not stored),</li>
 *   <li>{@code GET /metrics}: Prometheus text ({@link DetectorMetrics}),</li>
 * </ul>
 * while its {@link DetectionSupervisor} judges the group's measurements. The handle is
 * {@link AutoCloseable}: {@link #close()} stops reading, lets the anomalies already published get their
 * acks (and so their measurements theirs), then closes the connection. Nothing is static: several
 * detectors can run in one JVM (tests do), though a group's unit of scale is the process.
 */
public final class Detector implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Detector.class);

    private final DetectorConfig config;
    private final Connection nc;
    private final JetStreamAppender appender;
    private final DetectionSupervisor supervisor;
    private final DetectorStatus status;
    private final DetectorMetrics metrics;
    private final WebServer web;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Detector(DetectorConfig config, Connection nc, JetStreamAppender appender, DetectionSupervisor supervisor,
                     DetectorStatus status, DetectorMetrics metrics, WebServer web) {
        this.config = config;
        this.nc = nc;
        this.appender = appender;
        this.supervisor = supervisor;
        this.status = status;
        this.metrics = metrics;
        this.web = web;
    }

    /**
     * Starts a detector. Fails fast, with a message saying what and where, when NATS is unreachable,
     * the anomalies' stream (or the group's consumer) is incompatible, or the port cannot be bound. A
     * missing measurements stream is no failure: the detector waits for it.
     */
    public static Detector start(DetectorConfig config) throws DetectorStartException {
        Objects.requireNonNull(config, "config");
        var trouble = new NatsTrouble(error -> LOG.warn("NATS server error: {}", error));
        var nc = connect(config, trouble);
        JetStreamAppender appender = null;
        DetectionSupervisor supervisor = null;
        try {
            var jsm = nc.jetStreamManagement(JetStreamOptions.builder().requestTimeout(config.publishTimeout()).build());
            var out = provision(jsm, config);
            checkGroup(jsm, config, out);
            appender = JetStreamAppender.create(nc, config.window(), config.publishTimeout());
            var status = new DetectorStatus(nc, trouble);
            var group = new GroupInfo(jsm, config.stream(), config.group(), TimeUnit.MILLISECONDS.toNanos(500));
            var metrics = new DetectorMetrics(group, status);
            supervisor = new DetectionSupervisor(nc, jsm, appender, config, EventCodec.create(), metrics, status);
            var router = Router.builder()
                    .get("/health", exchange -> health(exchange, config, status, group))
                    .get("/metrics", BearerAuth.of(config.metricsToken()).guard(metrics.registry().handler()))
                    .build();
            var web = WebServer.start(config.bind(), config.port(), router, Duration.ofSeconds(2), config.access().tls());
            supervisor.start();
            return new Detector(config, nc, appender, supervisor, status, metrics, web);
        } catch (IOException e) {
            cleanUp(supervisor, appender, nc);
            throw new DetectorStartException("cannot listen on " + config.bind().getHostAddress() + ":" + config.port()
                    + " (" + e.getMessage() + "); is another process using the port? choose one with --port / PORT", e);
        } catch (DetectorStartException | RuntimeException e) {
            cleanUp(supervisor, appender, nc);
            throw e;
        }
    }

    private static Connection connect(DetectorConfig config, NatsTrouble trouble) throws DetectorStartException {
        var options = NatsConnections.options(config.natsUrl(), "anomalyflow-detector-" + config.group(), config.natsAuth())
                .errorListener(trouble).connectionListener(trouble).build();
        try {
            return Nats.connect(options);
        } catch (IOException e) {
            // refused credentials, an untrusted certificate, TLS on one side only, or nothing there
            throw new DetectorStartException(trouble.explainConnectFailure(e, NatsConnections.redact(config.natsUrl())), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DetectorStartException("interrupted while connecting to NATS", e);
        }
    }

    private static StreamConfiguration provision(JetStreamManagement jsm, DetectorConfig config)
            throws DetectorStartException {
        try {
            return StreamSetup.ensure(jsm, config.out(), StreamSetup.START_PATIENCE).getConfiguration();
        } catch (IncompatibleStreamException e) {
            throw new DetectorStartException("stream " + config.out().name() + " exists with an incompatible configuration: "
                    + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new DetectorStartException("cannot set up stream " + config.out().name() + ": " + e.getMessage(), e);
        }
    }

    /**
     * A group that exists keeps its own settings (other detectors rely on them): refused when its ack wait
     * is too long for the anomalies' duplicate window, logged when it differs from what was asked.
     */
    private static void checkGroup(JetStreamManagement jsm, DetectorConfig config,
                                   StreamConfiguration out) throws DetectorStartException {
        ConsumerConfiguration existing;
        try {
            existing = jsm.getConsumerInfo(config.stream(), config.group()).getConsumerConfiguration();
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == JetStreamErrors.CONSUMER_NOT_FOUND
                    || e.getApiErrorCode() == JetStreamErrors.STREAM_NOT_FOUND) {
                return; // the first run creates it with our settings
            }
            throw new DetectorStartException("cannot look up group " + config.group() + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new DetectorStartException("NATS did not answer about group " + config.group() + ": " + e.getMessage(), e);
        }
        var window = out.getDuplicateWindow();
        var ackWait = existing.getAckWait();
        if (ackWait != null && window != null && ackWait.multipliedBy(2).compareTo(window) > 0) {
            throw new DetectorStartException("group " + config.group() + " on stream " + config.stream() + " has an ack wait of "
                    + ackWait + ", more than half the duplicate window of " + config.out().name() + " (" + window
                    + "): a measurement judged again after it could be stored twice", null);
        }
        if (!Objects.equals(ackWait, config.ackWait()) || existing.getMaxAckPending() != config.maxAckPending()) {
            LOG.warn("group {} exists with ack wait {} and max ack pending {}; it keeps them (asked: {} and {})",
                    config.group(), ackWait, existing.getMaxAckPending(), config.ackWait(), config.maxAckPending());
        }
    }

    /** The port actually bound. */
    public int port() {
        return web.port();
    }

    /** {@code http://127.0.0.1:<port>} (or the bound address). */
    public URI url() {
        return web.url();
    }

    public DetectorConfig config() {
        return config;
    }

    /** Whether it reads and stores now (what {@code /health} answers 200 for). */
    public boolean isReading() {
        return status.up();
    }

    /** One line for the log: where it listens, what it reads and writes. */
    public String describe() {
        return "detector listening on " + url() + " (GET /health, GET /metrics), group " + config.group() + " reading "
                + config.stream() + " (" + config.subject() + ") from "
                + NatsConnections.redact(String.valueOf(nc.getConnectedUrl())) + ", anomalies to " + config.out().name()
                + " (" + config.outSubject() + "); threshold " + config.rule().threshold().toPlainString()
                + ", ack wait " + config.ackWait().toSeconds() + " s, window " + config.window();
    }

    /** Stops as described on the class; idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        web.close();
        cleanUp(supervisor, appender, nc);
        LOG.info("detector on port {} closed", web.port());
    }

    private static void health(HttpExchange exchange, DetectorConfig config, DetectorStatus status, GroupInfo group)
            throws IOException {
        var state = status.current();
        boolean connected = status.natsConnected();
        boolean up = connected && state.reading();
        var problem = !connected ? status.natsProblem() : state.problem();
        var g = group.snapshot();
        var json = "{\"status\":" + Json.quote(up ? "up" : "down")
                + ",\"nats\":" + Json.quote(connected ? "connected" : "disconnected")
                + ",\"phase\":" + Json.quote(state.phase().name().toLowerCase(Locale.ROOT))
                + ",\"stream\":" + Json.quote(config.stream()) + ",\"group\":" + Json.quote(config.group())
                + ",\"anomaliesStream\":" + Json.quote(config.out().name())
                + ",\"backlog\":" + g.backlog() + ",\"ackPending\":" + g.ackPending()
                + (problem == null ? "" : ",\"error\":" + Json.quote(problem)) + "}";
        if (!up) {
            exchange.getResponseHeaders().set("Retry-After", "1");
        }
        Responses.json(exchange, up ? 200 : 503, json);
    }

    private static void cleanUp(DetectionSupervisor supervisor, JetStreamAppender appender, Connection nc) {
        if (supervisor != null) {
            supervisor.close();
        }
        if (appender != null) {
            appender.close();
        }
        try {
            if (nc.getStatus() == Connection.Status.CONNECTED) {
                nc.flush(Duration.ofSeconds(2)); // the last acks and NAKs reach the server
            }
        } catch (Exception e) {
            LOG.debug("flush at close: {}", e.toString());
        }
        try {
            nc.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
