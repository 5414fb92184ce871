package io.anomalyflow.detector;

import io.anomalyflow.app.NatsClientOptions;
import io.anomalyflow.app.BearerAuth;
import io.anomalyflow.app.OptionException;
import io.anomalyflow.app.OptionValues;
import io.anomalyflow.app.Options;
import io.anomalyflow.app.ServerAccess;
import io.anomalyflow.events.AnomalyRule;
import io.anomalyflow.flow.nats.NatsAuth;
import io.anomalyflow.flow.nats.StreamSpec;
import io.nats.client.api.StorageType;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Everything a detector is configured with. Build it from the command line and environment with
 * {@link #parse(List, Map)} ({@link #OPTIONS} lists every option, its environment variable and its
 * default), or from already parsed values with {@link #from(OptionValues)}.
 *
 * @param bind          address of the health and metrics server (127.0.0.1 unless told otherwise)
 * @param port          its port; 0 picks a free one (tests)
 * @param natsUrl       NATS server URL, or several separated by commas
 * @param stream        the measurements' stream (the gateway creates it; the detector waits for it)
 * @param subject       the measurements' subject in it
 * @param group         the durable consumer all detectors of one group share
 * @param rule          what is an anomaly (a value at or below the threshold)
 * @param out           the anomalies' stream, created when missing, checked when present
 * @param ackWait       how long the group's consumer waits for a measurement's ack before it hands the
 *                      measurement to another detector; at most half the anomalies' duplicate window
 * @param maxAckPending the most measurements the whole group holds unacknowledged
 * @param window        anomalies one detector has waiting for their JetStream ack (its demand)
 * @param publishTimeout how long an anomaly may wait for its ack; then the detector pauses
 * @param natsAuth      TLS trust and credentials for NATS ({@link NatsAuth#NONE} for none)
 * @param metricsToken  the bearer token {@code /metrics} asks for, or {@code null} for none
 * @param access        HTTPS or plain HTTP, and whether serving without a token off loopback is intended
 */
public record DetectorConfig(InetAddress bind, int port, String natsUrl, String stream, String subject, String group,
                             AnomalyRule rule, StreamSpec out, Duration ackWait, int maxAckPending, int window,
                             Duration publishTimeout, NatsAuth natsAuth, String metricsToken, ServerAccess access) {

    /** The detector's options; {@code --help} prints them. */
    public static final Options OPTIONS = Options.builder("detector",
                    "Anomaly detection as a tier: detectors of one group share the measurements, and every anomaly "
                            + "becomes an event in its own stream, exactly once.")
            .option("bind", "BIND", "127.0.0.1", "<address>", "address of GET /health and GET /metrics")
            .option("port", "PORT", "8086", "<port>", "HTTP port, 0 picks a free one")
            .option("nats", "NATS_URL", "nats://127.0.0.1:4222", "<url[,url…]>", "NATS server(s)")
            .options(NatsClientOptions.OPTIONS)
            .option("stream", "NATS_STREAM", "MEASUREMENTS", "<name>", "stream of the measurements (waited for)")
            .option("subject", "NATS_SUBJECT", "measurements", "<subject>", "subject of the measurements in it")
            .option("group", "DETECTOR_GROUP", "detectors", "<name>", "durable consumer the detectors of a group share")
            .option("threshold", "ANOMALY_THRESHOLD", "20", "<number>", "a value at or below it is an anomaly")
            .option("out-stream", "ANOMALIES_STREAM", "ANOMALIES", "<name>", "stream of the anomalies, created when missing")
            .option("out-subject", "ANOMALIES_SUBJECT", "anomalies", "<subject>", "subject the anomalies are published on")
            .option("storage", "ANOMALIES_STORAGE", "file", "<file|memory>", "storage of an anomalies stream it creates")
            .option("max-age", "ANOMALIES_MAX_AGE", "24h", "<duration>", "how long the anomalies stream keeps events")
            .option("duplicate-window", "ANOMALIES_DUPLICATE_WINDOW", "2m", "<duration>",
                    "window in which a measurement judged twice is stored once")
            .option("replicas", "ANOMALIES_REPLICAS", "1", "<n>", "anomalies stream replicas (3 on a cluster)")
            .option("ack-wait", "ACK_WAIT", "30s", "<duration>",
                    "a group's unacknowledged measurement goes to another detector after it (at most duplicate-window/2)")
            .option("max-ack-pending", "MAX_ACK_PENDING", "4096", "<n>", "measurements a group holds unacknowledged at once")
            .option("window", "PUBLISH_WINDOW", "256", "<n>", "anomalies one detector has waiting for their ack")
            .option("publish-timeout", "PUBLISH_TIMEOUT", "5s", "<duration>", "wait for an anomaly's ack, then pause")
            .secret("metrics-token", "DETECTOR_METRICS_TOKEN", "<token>", "bearer token /metrics asks for (default: none)")
            .include(ServerAccess::options)
            .build();

    public DetectorConfig {
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(natsUrl, "natsUrl");
        Objects.requireNonNull(natsAuth, "natsAuth");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(access, "access");
        StreamSpec.checkName(stream);
        StreamSpec.checkName(group);
        Objects.requireNonNull(subject, "subject");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be within 0..65535: " + port);
        }
        if (ackWait.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("ackWait must be at least 1s: " + ackWait);
        }
        if (ackWait.multipliedBy(2).compareTo(out.duplicateWindow()) > 0) {
            throw new IllegalArgumentException("ackWait (" + ackWait + ") must be at most half the anomalies' duplicate "
                    + "window (" + out.duplicateWindow() + "): a measurement judged again after it would be stored twice");
        }
        if (maxAckPending < 1 || window < 1) {
            throw new IllegalArgumentException("maxAckPending and window must be positive");
        }
        if (publishTimeout.isNegative() || publishTimeout.isZero()) {
            throw new IllegalArgumentException("publishTimeout must be positive: " + publishTimeout);
        }
        if (stream.equals(out.name())) {
            throw new IllegalArgumentException("the anomalies stream must not be the measurements stream: " + stream);
        }
    }

    /** Parses {@code args} with {@code env} as the environment (tests pass a map). */
    public static DetectorConfig parse(List<String> args, Map<String, String> env) {
        return from(OPTIONS.parse(args, env));
    }

    /** Validates and converts parsed values; an {@link OptionException} names the bad one. */
    public static DetectorConfig from(OptionValues v) {
        var out = new StreamSpec(
                v.convert("out-stream", StreamSpec::checkName),
                List.of(v.convert("out-subject", DetectorConfig::checkSubject)),
                v.enumValue("storage", StorageType.class),
                v.duration("max-age", Duration.ofSeconds(1), Duration.ofDays(36_500)),
                v.duration("duplicate-window", Duration.ofSeconds(2), Duration.ofDays(7)),
                v.integer("replicas", 1, 5));
        var ackWait = v.duration("ack-wait", Duration.ofSeconds(1), Duration.ofDays(1));
        if (ackWait.multipliedBy(2).compareTo(out.duplicateWindow()) > 0) {
            throw new OptionException("--ack-wait", "must be at most half the duplicate-window (" + v.string("duplicate-window")
                    + "): a measurement judged again after the window would be stored twice");
        }
        var stream = v.convert("stream", StreamSpec::checkName);
        if (stream.equals(out.name())) {
            throw new OptionException("--out-stream", "must differ from --stream " + stream);
        }
        var bind = v.inetAddress("bind");
        var metricsToken = v.optional("metrics-token").map(t -> v.convert("metrics-token", BearerAuth::checkToken))
                .orElse(null);
        var access = ServerAccess.from(v);
        access.requireProtection(bind, metricsToken != null,
                "set the token /metrics asks for with --metrics-token or DETECTOR_METRICS_TOKEN");
        return new DetectorConfig(
                bind,
                v.integer("port", 0, 65_535),
                v.uris("nats", "nats", "tls", "ws", "wss").stream().map(URI::toString).collect(Collectors.joining(",")),
                stream,
                v.convert("subject", DetectorConfig::checkSubject),
                v.convert("group", StreamSpec::checkName),
                v.convert("threshold", DetectorConfig::rule),
                out,
                ackWait,
                v.integer("max-ack-pending", 1, 1_000_000),
                v.integer("window", 1, 100_000),
                v.duration("publish-timeout", Duration.ofMillis(100), Duration.ofHours(1)),
                natsAuth(NatsClientOptions.read(v)),
                metricsToken,
                access);
    }

    private static NatsAuth natsAuth(NatsClientOptions o) {
        return new NatsAuth(o.trust(), o.user(), o.password(), o.token());
    }

    /** The subject anomalies are published on. */
    public String outSubject() {
        return out.subjects().get(0);
    }

    private static AnomalyRule rule(String threshold) {
        try {
            return new AnomalyRule(new BigDecimal(threshold.strip()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("must be a decimal number such as 20 or 12.5");
        }
    }

    /** Never shows the token. */
    @Override
    public String toString() {
        return "DetectorConfig[bind=" + bind.getHostAddress() + ", port=" + port + ", stream=" + stream + ", subject="
                + subject + ", group=" + group + ", rule=" + rule + ", out=" + out + ", ackWait=" + ackWait
                + ", maxAckPending=" + maxAckPending + ", window=" + window + ", publishTimeout=" + publishTimeout
                + ", metricsToken=" + (metricsToken == null ? "none" : "set") + ", " + access + "]";
    }

    private static String checkSubject(String s) {
        if (!s.matches("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*")) {
            throw new IllegalArgumentException("a subject is dot-separated tokens of letters, digits, '_' and '-'");
        }
        return s;
    }
}
