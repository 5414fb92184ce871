package io.anomalyflow.gateway;

import io.anomalyflow.app.NatsClientOptions;
import io.anomalyflow.app.OptionValues;
import io.anomalyflow.app.Options;
import io.anomalyflow.flow.nats.NatsAuth;
import io.anomalyflow.app.ServerAccess;
import io.anomalyflow.flow.nats.StreamSpec;
import io.nats.client.api.StorageType;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Everything the gateway is configured with. Build it from the command line and environment with
 * {@link #parse(List, Map)} or {@link #fromEnv(String[])} ({@link #OPTIONS} lists every option, its
 * environment variable and its default), or from already parsed values with {@link #from(OptionValues)}.
 *
 * @param bind                  address the HTTP server binds (127.0.0.1 unless told otherwise)
 * @param port                  HTTP port; 0 picks a free one (tests)
 * @param natsUrl               NATS server URL, or several separated by commas
 * @param stream                the stream to create or accept at start, and publish to (its first subject)
 * @param maxBodyBytes          largest request body; over it: 413
 * @param maxBatch              most measurements in one batch; over it: 413
 * @param maxConcurrentRequests POSTs handled at once; over it: 503 at once
 * @param maxInFlight           publishes awaiting their JetStream ack, over all requests
 * @param batchWindow           unacknowledged messages one batch may have outstanding
 * @param ackTimeout            how long a publish may wait for its ack (and for a free slot); then 503
 * @param readTimeout           how long a request body may take to arrive; then 408
 * @param retryAfter            the {@code Retry-After} of a 503
 * @param shutdownGrace         how long close waits for requests in flight
 * @param token                 bearer token POSTs must carry, or {@code null} for none
 * @param natsAuth              TLS trust and credentials for NATS ({@link NatsAuth#NONE} for none)
 * @param access                HTTPS or plain HTTP, and whether serving without a token off loopback is intended
 */
public record GatewayConfig(InetAddress bind, int port, String natsUrl, StreamSpec stream, long maxBodyBytes,
                            int maxBatch, int maxConcurrentRequests, int maxInFlight, int batchWindow,
                            Duration ackTimeout, Duration readTimeout, Duration retryAfter, Duration shutdownGrace,
                            String token, NatsAuth natsAuth, ServerAccess access) {

    /** The gateway's options; {@code --help} prints them. */
    public static final Options OPTIONS = Options.builder("gateway",
                    "HTTP ingest into NATS JetStream: POST /measurements answers once JetStream acknowledged every message.")
            .option("bind", "BIND", "127.0.0.1", "<address>", "address to listen on")
            .option("port", "PORT", "8081", "<port>", "HTTP port, 0 picks a free one")
            .option("nats", "NATS_URL", "nats://127.0.0.1:4222", "<url[,url…]>", "NATS server(s)")
            .options(NatsClientOptions.OPTIONS)
            .option("stream", "NATS_STREAM", "MEASUREMENTS", "<name>", "JetStream stream, created when missing")
            .option("subject", "NATS_SUBJECT", "measurements", "<subject>", "subject the measurements are published on")
            .option("storage", "STREAM_STORAGE", "file", "<file|memory>", "storage of a stream the gateway creates")
            .option("max-age", "STREAM_MAX_AGE", "24h", "<duration>", "how long the stream keeps messages")
            .option("duplicate-window", "STREAM_DUPLICATE_WINDOW", "2m", "<duration>", "window in which a repeated id is stored once")
            .option("replicas", "STREAM_REPLICAS", "1", "<n>", "stream replicas (3 on a cluster)")
            .option("max-body", "MAX_BODY", "1MiB", "<size>", "largest request body (413 above)")
            .option("max-batch", "MAX_BATCH", "10000", "<n>", "most measurements in one batch (413 above)")
            .option("max-concurrent", "MAX_CONCURRENT", "512", "<n>", "POST requests handled at once (503 above)")
            .option("max-in-flight", "MAX_IN_FLIGHT", "1024", "<n>", "publishes awaiting a JetStream ack at once")
            .option("batch-window", "BATCH_WINDOW", "256", "<n>", "unacknowledged messages per batch request")
            .option("ack-timeout", "ACK_TIMEOUT", "2s", "<duration>", "wait for a JetStream ack before answering 503")
            .option("read-timeout", "READ_TIMEOUT", "10s", "<duration>", "time a request body may take (408 after)")
            .option("retry-after", "RETRY_AFTER", "1s", "<duration>", "Retry-After sent with a 503")
            .option("shutdown-grace", "SHUTDOWN_GRACE", "10s", "<duration>", "time requests in flight get at shutdown")
            .secret("token", "GATEWAY_TOKEN", "<token>", "bearer token required on POST /measurements (default: none)")
            .include(ServerAccess::options)
            .build();

    private static final Duration HOUR = Duration.ofHours(1);

    public GatewayConfig {
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(natsUrl, "natsUrl");
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(natsAuth, "natsAuth");
        Objects.requireNonNull(access, "access");
        positive("maxBodyBytes", maxBodyBytes);
        positive("maxBatch", maxBatch);
        positive("maxConcurrentRequests", maxConcurrentRequests);
        positive("maxInFlight", maxInFlight);
        positive("batchWindow", batchWindow);
        positive("ackTimeout", ackTimeout.toMillis());
        positive("readTimeout", readTimeout.toMillis());
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be within 0..65535: " + port);
        }
        if (retryAfter.isNegative() || shutdownGrace.isNegative()) {
            throw new IllegalArgumentException("retryAfter and shutdownGrace must not be negative");
        }
        if (token != null && token.isBlank()) {
            throw new IllegalArgumentException("token must not be blank (leave it unset for no token)");
        }
    }

    /** Parses {@code args} with the process environment. */
    public static GatewayConfig fromEnv(String[] args) {
        return from(OPTIONS.parse(args));
    }

    /** Parses {@code args} with {@code env} as the environment (tests pass a map). */
    public static GatewayConfig parse(List<String> args, Map<String, String> env) {
        return from(OPTIONS.parse(args, env));
    }

    /** Validates and converts parsed values; an {@link io.anomalyflow.app.OptionException} names the bad one. */
    public static GatewayConfig from(OptionValues v) {
        var urls = v.uris("nats", "nats", "tls", "ws", "wss");
        var stream = new StreamSpec(
                v.convert("stream", StreamSpec::checkName),
                List.of(v.convert("subject", GatewayConfig::checkSubject)),
                v.enumValue("storage", StorageType.class),
                v.duration("max-age", Duration.ofSeconds(1), Duration.ofDays(36_500)),
                v.duration("duplicate-window", Duration.ofMillis(100), Duration.ofDays(7)),
                v.integer("replicas", 1, 5));
        var bind = v.inetAddress("bind");
        var token = v.isSet("token") ? v.convert("token", GatewayConfig::checkToken) : null;
        var access = ServerAccess.from(v);
        access.requireProtection(bind, token != null, "set the token POSTs must carry with --token or GATEWAY_TOKEN");
        return new GatewayConfig(
                bind,
                v.integer("port", 0, 65_535),
                urls.stream().map(URI::toString).collect(Collectors.joining(",")),
                stream,
                v.size("max-body", 1, 256L << 20),
                v.integer("max-batch", 1, 1_000_000),
                v.integer("max-concurrent", 1, 100_000),
                v.integer("max-in-flight", 1, 100_000),
                v.integer("batch-window", 1, 100_000),
                v.duration("ack-timeout", Duration.ofMillis(10), HOUR),
                v.duration("read-timeout", Duration.ofMillis(100), HOUR),
                v.duration("retry-after", Duration.ZERO, HOUR),
                v.duration("shutdown-grace", Duration.ZERO, HOUR),
                token,
                natsAuth(NatsClientOptions.read(v)),
                access);
    }

    /** The shared NATS options as flow-nats takes them. */
    static NatsAuth natsAuth(NatsClientOptions o) {
        return new NatsAuth(o.trust(), o.user(), o.password(), o.token());
    }

    /** The subject measurements are published on. */
    public String subject() {
        return stream.subjects().get(0);
    }

    /** Never prints the token or a NATS secret. */
    @Override
    public String toString() {
        return "GatewayConfig[bind=" + bind.getHostAddress() + ", port=" + port + ", nats=" + NatsLink.redact(natsUrl)
                + ", stream=" + stream + ", maxBodyBytes=" + maxBodyBytes + ", maxBatch=" + maxBatch
                + ", maxConcurrentRequests=" + maxConcurrentRequests + ", maxInFlight=" + maxInFlight
                + ", batchWindow=" + batchWindow + ", ackTimeout=" + ackTimeout + ", readTimeout=" + readTimeout
                + ", retryAfter=" + retryAfter + ", shutdownGrace=" + shutdownGrace
                + ", token=" + (token == null ? "none" : "set") + ", natsAuth=" + natsAuth + ", " + access + "]";
    }

    private static String checkSubject(String s) {
        if (!s.matches("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*")) {
            throw new IllegalArgumentException("a subject to publish on is dot-separated tokens of letters, digits, '_' and '-'");
        }
        return s;
    }

    private static String checkToken(String t) {
        if (t.isBlank() || !t.strip().equals(t)) {
            throw new IllegalArgumentException("a token must be non-blank, without leading or trailing spaces");
        }
        return t;
    }

    private static void positive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }
}
