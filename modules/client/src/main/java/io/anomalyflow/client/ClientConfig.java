package io.anomalyflow.client;

import io.anomalyflow.app.NatsClientOptions;
import io.anomalyflow.app.BearerAuth;
import io.anomalyflow.app.OptionValues;
import io.anomalyflow.app.Options;
import io.anomalyflow.app.ServerAccess;
import io.anomalyflow.events.AnomalyRule;
import io.anomalyflow.flow.nats.NatsAuth;
import io.anomalyflow.flow.nats.StreamSpec;

import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Everything {@link AnomalyClient#start(ClientConfig)} needs. From the command line and the
 * environment: {@link #parse(List, Map)} or {@link #from(OptionValues)} ({@link #OPTIONS} lists every
 * option, its environment variable and its default). Validated on construction
 * (an {@link IllegalArgumentException} names the bad field and value); {@link #builder()} starts
 * from the defaults listed in {@code --help}: {@code ClientConfig.builder().natsUrl(url).port(0).build()}.
 *
 * @param natsUrl      NATS server(s), e.g. {@code nats://127.0.0.1:4222}
 * @param source       what the client reads: the measurements (and judges them) or the detectors' anomaly events
 * @param stream       the measurements' JetStream stream ({@code MEASUREMENTS}), read with {@link Source#MEASUREMENTS}
 * @param subject      the subject of measurements in it ({@code measurements})
 * @param anomaliesStream the anomaly events' stream ({@code ANOMALIES}), read whole with {@link Source#ANOMALIES}
 * @param bind         the address the HTTP server binds ({@code 127.0.0.1})
 * @param port         the HTTP port ({@code 8085}; 0 picks a free one)
 * @param threshold    a value at or below it is an anomaly ({@code 20}); unused with {@link Source#ANOMALIES}
 * @param ttl          how long an anomaly stays, counted from its stream time ({@code 5m})
 * @param maxAnomalies the map's bound; the oldest are evicted first ({@code 100000})
 * @param replay       where reading starts: the whole stream, only new messages, or now − ttl
 * @param sseBuffer    per-reader buffer; when a reader is slower, the oldest are dropped ({@code 1000})
 * @param heartbeat    idle time after which an SSE comment keeps the connection alive ({@code 15s})
 * @param clock        the time source of expiry (the system clock; tests pass a controlled one)
 * @param natsAuth     TLS trust and credentials for NATS ({@link NatsAuth#NONE} by default)
 * @param access       HTTPS or plain HTTP, and whether serving without a token off loopback is intended
 * @param token        the token the anomalies, the streams and their aliases ask for, or {@code null} for none
 * @param metricsToken the token {@code /metrics} asks for ({@code null}: open); by default the same as {@code token}
 * @param maxStreams   SSE streams open at once, over all readers; beyond it: 429
 * @param maxStreamsPerClient SSE streams open at once from one remote address; beyond it: 429
 */
public record ClientConfig(String natsUrl, Source source, String stream, String subject, String anomaliesStream,
        InetAddress bind, int port,
        BigDecimal threshold, Duration ttl, int maxAnomalies, Replay replay, int sseBuffer,
        Duration heartbeat, InstantSource clock, NatsAuth natsAuth, ServerAccess access, String token, String metricsToken,
        int maxStreams, int maxStreamsPerClient) {

    /** Where the client starts reading the stream (now − TTL by default). */
    public enum Replay {
        /** The whole stream: every anomaly ever detected passes through again. */
        ALL,
        /** Only messages stored after the client started. */
        NEW,
        /** From now − ttl: exactly what can still be in the map, so a restart rebuilds it. */
        TTL
    }

    /** What the client reads ({@code --source}). */
    public enum Source {
        /** The measurements: the client judges each with the rule itself (the original shape). */
        MEASUREMENTS,
        /** The anomaly events the detectors append: already judged, so no rule applies here. */
        ANOMALIES
    }

    public static final int MAX_PORT = 65_535;

    /** The client's options; {@code --help} prints them. */
    public static final Options OPTIONS = Options.builder("client",
                    "Reads measurements (or the detectors' anomaly events) from NATS JetStream, keeps the anomalies "
                            + "of the last TTL, and serves them: GET /anomalies, SSE on /anomalies/stream, a live page on /.")
            .option("bind", "BIND", "127.0.0.1", "<address>", "address to listen on")
            .option("port", "PORT", "8085", "<port>", "HTTP port, 0 picks a free one")
            .option("nats", "NATS_URL", "nats://127.0.0.1:4222", "<url[,url…]>", "NATS server(s)")
            .options(NatsClientOptions.OPTIONS)
            .option("source", "ANOMALY_SOURCE", "measurements", "<measurements|anomalies>",
                    "what to read: measurements (judged here) or the detectors' anomaly events")
            .option("stream", "NATS_STREAM", "MEASUREMENTS", "<name>", "JetStream stream to read (the gateway creates it)")
            .option("subject", "NATS_SUBJECT", "measurements", "<subject>", "subject of the measurements in the stream")
            .option("anomalies-stream", "ANOMALIES_STREAM", "ANOMALIES", "<name>",
                    "stream of anomaly events read with --source anomalies (the detector creates it)")
            .option("threshold", "ANOMALY_THRESHOLD", "20", "<number>",
                    "a value at or below it is an anomaly (unused with --source anomalies: the detector judged)")
            .option("ttl", "ANOMALY_TTL", "5m", "<duration>", "how long an anomaly is kept, from its stream time")
            .option("max-anomalies", "MAX_ANOMALIES", "100000", "<n>", "most anomalies kept (oldest evicted first)")
            .option("replay", "REPLAY", "ttl", "<all|new|ttl>", "where reading starts: whole stream, new only, now - ttl")
            .option("sse-buffer", "SSE_BUFFER", "1000", "<n>", "per-reader buffer; a slower reader loses the oldest")
            .option("heartbeat", "SSE_HEARTBEAT", "15s", "<duration>", "idle time before an SSE keep-alive comment")
            .secret("token", "CLIENT_TOKEN", "<token>",
                    "token /anomalies, the SSE streams and their aliases ask for (default: none)")
            .secret("metrics-token", "CLIENT_METRICS_TOKEN", "<token>",
                    "bearer token /metrics asks for (default: the --token, if any)")
            .option("max-streams", "MAX_STREAMS", "2000", "<n>", "SSE streams open at once in all (429 above)")
            .option("max-streams-per-client", "MAX_STREAMS_PER_CLIENT", "64", "<n>",
                    "SSE streams open at once from one remote address (429 above)")
            .include(ServerAccess::options)
            .build();

    public ClientConfig {
        requireText(natsUrl, "natsUrl");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(natsAuth, "natsAuth");
        requireText(stream, "stream");
        requireText(subject, "subject");
        requireText(anomaliesStream, "anomaliesStream");
        Objects.requireNonNull(bind, "bind");
        if (port < 0 || port > MAX_PORT) {
            throw new IllegalArgumentException("port must be 0–65535: " + port);
        }
        Objects.requireNonNull(threshold, "threshold");
        requirePositive(ttl, "ttl");
        if (maxAnomalies < 1) {
            throw new IllegalArgumentException("maxAnomalies must be at least 1: " + maxAnomalies);
        }
        Objects.requireNonNull(replay, "replay");
        if (sseBuffer < 1) {
            throw new IllegalArgumentException("sseBuffer must be at least 1: " + sseBuffer);
        }
        requirePositive(heartbeat, "heartbeat");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(access, "access");
        checkToken(token, "token");
        checkToken(metricsToken, "metricsToken");
        if (maxStreams < 1 || maxStreamsPerClient < 1) {
            throw new IllegalArgumentException("maxStreams and maxStreamsPerClient must be at least 1: "
                    + maxStreams + ", " + maxStreamsPerClient);
        }
    }

    /** A builder holding the defaults (local NATS, source measurements, stream MEASUREMENTS, 127.0.0.1:8085, threshold 20, 5 min, 100 000, ttl replay, 1000, 15 s). */
    public static Builder builder() {
        return new Builder();
    }

    /** The defaults, as {@link #builder()} holds them. */
    public static ClientConfig defaults() {
        return builder().build();
    }

    /** Parses {@code args} with {@code env} as the environment; an {@link io.anomalyflow.app.OptionException} names a bad option. */
    public static ClientConfig parse(List<String> args, Map<String, String> env) {
        return from(OPTIONS.parse(args, env));
    }

    /** Validates and converts parsed values; an {@link io.anomalyflow.app.OptionException} names the bad one. */
    public static ClientConfig from(OptionValues v) {
        var bind = v.inetAddress("bind");
        var token = v.optional("token").map(t -> v.convert("token", BearerAuth::checkToken)).orElse(null);
        var metricsToken = v.optional("metrics-token").map(t -> v.convert("metrics-token", BearerAuth::checkToken)).orElse(token);
        var access = ServerAccess.from(v);
        access.requireProtection(bind, token != null, "set the token readers must give with --token or CLIENT_TOKEN");
        return builder()
                .bind(bind)
                .port(v.integer("port", 0, MAX_PORT))
                .natsUrl(v.uris("nats", "nats", "tls", "ws", "wss").stream().map(URI::toString)
                        .collect(Collectors.joining(",")))
                .source(v.enumValue("source", Source.class))
                .stream(v.convert("stream", StreamSpec::checkName))
                .subject(v.convert("subject", ClientConfig::subject))
                .anomaliesStream(v.convert("anomalies-stream", StreamSpec::checkName))
                .threshold(v.convert("threshold", t -> new AnomalyRule(new BigDecimal(t.strip())).threshold()))
                .ttl(v.duration("ttl", Duration.ofMillis(100), Duration.ofDays(365)))
                .maxAnomalies(v.integer("max-anomalies", 1, 10_000_000))
                .replay(v.enumValue("replay", Replay.class))
                .sseBuffer(v.integer("sse-buffer", 1, 1_000_000))
                .heartbeat(v.duration("heartbeat", Duration.ofMillis(100), Duration.ofHours(1)))
                .natsAuth(natsAuth(NatsClientOptions.read(v)))
                .access(access)
                .token(token)
                .metricsToken(metricsToken)
                .maxStreams(v.integer("max-streams", 1, 1_000_000))
                .maxStreamsPerClient(v.integer("max-streams-per-client", 1, 1_000_000))
                .build();
    }

    private static NatsAuth natsAuth(NatsClientOptions o) {
        return new NatsAuth(o.trust(), o.user(), o.password(), o.token());
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        return new Builder().natsUrl(natsUrl).source(source).stream(stream).subject(subject)
                .anomaliesStream(anomaliesStream).bind(bind).port(port)
                .threshold(threshold).ttl(ttl).maxAnomalies(maxAnomalies).replay(replay)
                .sseBuffer(sseBuffer).heartbeat(heartbeat).clock(clock).natsAuth(natsAuth).access(access)
                .token(token).metricsToken(metricsToken).maxStreams(maxStreams).maxStreamsPerClient(maxStreamsPerClient);
    }

    /** Collects the fields; {@link #build()} validates them all at once. Not thread-safe. */
    public static final class Builder {
        private String natsUrl = "nats://127.0.0.1:4222";
        private Source source = Source.MEASUREMENTS;
        private String stream = "MEASUREMENTS";
        private String subject = "measurements";
        private String anomaliesStream = "ANOMALIES";
        private InetAddress bind = InetAddress.getLoopbackAddress();
        private int port = 8085;
        private BigDecimal threshold = BigDecimal.valueOf(20);
        private Duration ttl = Duration.ofMinutes(5);
        private int maxAnomalies = 100_000;
        private Replay replay = Replay.TTL;
        private int sseBuffer = 1000;
        private Duration heartbeat = Duration.ofSeconds(15);
        private InstantSource clock = InstantSource.system();
        private NatsAuth natsAuth = NatsAuth.NONE;
        private ServerAccess access = ServerAccess.PLAIN;
        private String token;
        private String metricsToken;
        private boolean metricsTokenSet;
        private int maxStreams = 2000;
        private int maxStreamsPerClient = 64;

        private Builder() {
        }

        public Builder natsUrl(String v) { natsUrl = v; return this; }
        public Builder source(Source v) { source = v; return this; }
        public Builder stream(String v) { stream = v; return this; }
        public Builder subject(String v) { subject = v; return this; }
        public Builder anomaliesStream(String v) { anomaliesStream = v; return this; }
        public Builder bind(InetAddress v) { bind = v; return this; }
        public Builder port(int v) { port = v; return this; }
        public Builder threshold(BigDecimal v) { threshold = v; return this; }
        public Builder ttl(Duration v) { ttl = v; return this; }
        public Builder maxAnomalies(int v) { maxAnomalies = v; return this; }
        public Builder replay(Replay v) { replay = v; return this; }
        public Builder sseBuffer(int v) { sseBuffer = v; return this; }
        public Builder heartbeat(Duration v) { heartbeat = v; return this; }
        public Builder clock(InstantSource v) { clock = v; return this; }
        public Builder natsAuth(NatsAuth v) { natsAuth = v; return this; }
        public Builder access(ServerAccess v) { access = v; return this; }
        /** The read token; {@code /metrics} asks for it too unless {@link #metricsToken} says otherwise. */
        public Builder token(String v) { token = v; return this; }
        /** The token {@code /metrics} asks for; unless set, the {@link #token} (as on the command line). */
        public Builder metricsToken(String v) { metricsToken = v; metricsTokenSet = true; return this; }
        public Builder maxStreams(int v) { maxStreams = v; return this; }
        public Builder maxStreamsPerClient(int v) { maxStreamsPerClient = v; return this; }

        public ClientConfig build() {
            return new ClientConfig(natsUrl, source, stream, subject, anomaliesStream, bind, port, threshold, ttl,
                    maxAnomalies, replay, sseBuffer, heartbeat, clock, natsAuth, access, token,
                    metricsTokenSet ? metricsToken : token, maxStreams, maxStreamsPerClient);
        }
    }

    /** A subject filter: tokens of letters, digits, '_' and '-', or the wildcards '*' and a final '>'. */
    private static String subject(String s) {
        if (!s.matches("([A-Za-z0-9_-]+|\\*)(\\.([A-Za-z0-9_-]+|\\*))*(\\.>)?|>")) {
            throw new IllegalArgumentException("a subject is dot-separated tokens of letters, digits, '_' and '-' (or * and >)");
        }
        return s;
    }

    private static void checkToken(String t, String name) {
        if (t != null) {
            try {
                BearerAuth.checkToken(t);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(name + " " + e.getMessage());
            }
        }
    }

    /** Never shows the tokens. */
    @Override
    public String toString() {
        return "ClientConfig[source=" + source + ", stream=" + stream + ", bind=" + bind.getHostAddress()
                + ", port=" + port + ", ttl=" + ttl + ", maxAnomalies=" + maxAnomalies + ", " + access
                + ", token=" + (token == null ? "none" : "set") + ", metricsToken=" + (metricsToken == null ? "none" : "set")
                + ", maxStreams=" + maxStreams + ", maxStreamsPerClient=" + maxStreamsPerClient + "]";
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
    }

    private static void requirePositive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }
}
