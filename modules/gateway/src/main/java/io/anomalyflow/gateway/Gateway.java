package io.anomalyflow.gateway;

import com.sun.net.httpserver.HttpExchange;
import io.anomalyflow.app.Json;
import io.anomalyflow.app.Responses;
import io.anomalyflow.app.Router;
import io.anomalyflow.app.WebServer;
import io.anomalyflow.events.EventCodec;
import io.anomalyflow.flow.nats.JetStreamAppender;
import java.io.IOException;
import java.net.URI;
import java.time.InstantSource;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running gateway: HTTP ingest into JetStream. {@link #start} connects to
 * NATS, provisions the stream, and serves
 * <ul>
 *   <li>{@code POST /measurements} ({@link MeasurementsHandler}),</li>
 *   <li>{@code GET /health}: 200 when NATS is connected and the stream answers, else 503,</li>
 *   <li>{@code GET /metrics}: Prometheus text ({@link GatewayMetrics}).</li>
 * </ul>
 * The handle is {@link AutoCloseable}: {@link #close()} stops accepting connections, lets requests
 * in flight finish (bounded by the shutdown grace), then lets the acks still due arrive and closes
 * the NATS connection. Nothing is static, so several gateways can run in one JVM (tests do).
 */
public final class Gateway implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

    private final GatewayConfig config;
    private final NatsLink nats;
    private final JetStreamAppender appender;
    private final WebServer web;
    private final GatewayMetrics metrics;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Gateway(GatewayConfig config, NatsLink nats, JetStreamAppender appender, WebServer web, GatewayMetrics metrics) {
        this.config = config;
        this.nats = nats;
        this.appender = appender;
        this.web = web;
        this.metrics = metrics;
    }

    /** Starts a gateway that stamps measurements without a timestamp with the system clock. */
    public static Gateway start(GatewayConfig config) throws GatewayStartException {
        return start(config, InstantSource.system());
    }

    /**
     * Starts a gateway. Fails fast, with a message saying what and where, when NATS is unreachable,
     * the stream is incompatible, or the port cannot be bound.
     */
    public static Gateway start(GatewayConfig config, InstantSource clock) throws GatewayStartException {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(clock, "clock");
        var nats = NatsLink.connect(config);
        JetStreamAppender appender = null;
        try {
            appender = JetStreamAppender.create(nats.connection(), config.maxInFlight(), config.ackTimeout());
            var metrics = new GatewayMetrics(nats::connected);
            var codec = EventCodec.create();
            var writer = new MeasurementWriter(appender, codec, config, clock, metrics);
            var measurements = new MeasurementsHandler(config, codec, writer);
            metrics.registry().gauge("anomalyflow_gateway_requests_in_flight", "POST /measurements requests being handled.",
                    measurements::inFlight);
            var router = Router.builder()
                    .post("/measurements", measurements)
                    .get("/health", exchange -> health(exchange, nats, config))
                    .get("/metrics", metrics.registry().handler())
                    .onStatus(metrics::replied)
                    .onFailure(Gateway::logFailure)
                    .build();
            var web = WebServer.start(config.bind(), config.port(), router, config.shutdownGrace(), config.access().tls());
            return new Gateway(config, nats, appender, web, metrics);
        } catch (IOException e) {
            closeQuietly(appender);
            nats.close();
            throw new GatewayStartException("cannot listen on " + config.bind().getHostAddress() + ":" + config.port()
                    + " (" + e.getMessage() + "); is another process using the port? choose one with --port / PORT", e);
        } catch (RuntimeException e) {
            closeQuietly(appender);
            nats.close();
            throw e;
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

    /** One line for the log: where it listens and what it is connected to. */
    public String describe() {
        return "gateway listening on " + url() + " (POST /measurements, GET /health, GET /metrics"
                + (config.token() == null ? "" : "; POST requires a bearer token") + "), " + nats.describe();
    }

    /** Graceful shutdown as described on the class; idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        web.close();
        closeQuietly(appender);
        nats.close(config.ackTimeout());
        LOG.info("gateway on port {} closed", web.port());
    }

    private static void health(HttpExchange exchange, NatsLink nats, GatewayConfig config) throws IOException {
        var h = nats.health();
        var json = "{\"status\":" + Json.quote(h.up() ? "up" : "down") + ",\"nats\":" + Json.quote(h.nats())
                + ",\"stream\":" + Json.quote(config.stream().name())
                + (h.problem() == null ? "" : ",\"error\":" + Json.quote(h.problem())) + "}";
        if (!h.up()) {
            exchange.getResponseHeaders().set("Retry-After", Long.toString(Math.max(1, config.retryAfter().toSeconds())));
        }
        Responses.json(exchange, h.up() ? 200 : 503, json);
    }

    private static void logFailure(HttpExchange exchange, Throwable t) {
        if (t instanceof IOException) {
            // the client went away mid-exchange: its business, not an error of ours
            LOG.debug("{} {}: {}", exchange.getRequestMethod(), exchange.getRequestURI(), t.toString());
        } else {
            LOG.error("{} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), t);
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            LOG.debug("while closing {}: {}", c, e.toString());
        }
    }
}
