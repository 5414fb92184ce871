package io.anomalyflow.sender;

import io.anomalyflow.app.ClientTls;
import io.anomalyflow.app.OptionValues;
import io.anomalyflow.app.Options;
import io.anomalyflow.app.ServerAccess;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLContext;

/**
 * The sender's command line ({@code --help} prints it) and its translation into a
 * {@link SenderConfig}. Every option has an environment variable; a flag wins over it. The gateway
 * URL and token share {@code GATEWAY_URL}/{@code GATEWAY_TOKEN} with the gateway's own settings,
 * {@code PORT}/{@code BIND} are the same names every app uses, the rest are {@code SENDER_*}.
 *
 * @param run what a run does (in {@code --serve} mode: the defaults the page starts from)
 * @param serve whether to serve the page instead of running once
 * @param bind the page's address
 * @param port the page's port
 * @param progress how the CLI shows progress
 * @param json whether the CLI prints its summary as JSON
 * @param access the page's HTTPS and protected mode ({@code --serve})
 */
public record SenderOptions(SenderConfig run, boolean serve, InetAddress bind, int port,
                            ConsoleProgress.Mode progress, boolean json, ServerAccess access) {

    public static final Options OPTIONS = Options.builder("sender",
                    "Emulates IoT devices: posts measurements to the anomalyflow gateway and reports what was acknowledged"
                            + " (exit status 0 only when every measurement was), or serves a page that starts runs (--serve).")
            .option("gateway", "GATEWAY_URL", "http://127.0.0.1:8081", "<url>",
                    "the gateway; measurements are POSTed to <url>/measurements")
            .option("count", "SENDER_COUNT", "10000", "<n>", "measurements to send")
            .option("devices", "SENDER_DEVICES", "10", "<n>", "device ids are 1..n")
            .option("concurrency", "SENDER_CONCURRENCY", "32", "<n>", "most requests in flight at once")
            .option("batch", "SENDER_BATCH", "1", "<n>", "measurements per request: 1 = one JSON POST each, more = NDJSON batches")
            .option("rate", "SENDER_RATE", "0", "<per-second>", "measurements per second, paced open-loop; 0 = as fast as possible")
            .option("retries", "SENDER_RETRIES", "8", "<n>", "retries of a request that got a 503 or a connection failure (same ids)")
            .option("backoff", "SENDER_BACKOFF", "100ms", "<duration>", "wait before the first retry; doubles each time (with jitter)")
            .option("max-backoff", "SENDER_MAX_BACKOFF", "5s", "<duration>", "longest wait between retries (a longer Retry-After wins, up to 60s)")
            .option("timeout", "SENDER_TIMEOUT", "10s", "<duration>", "time for one attempt; past it the request counts as not acknowledged")
            .secret("token", "GATEWAY_TOKEN", "<token>", "bearer token the gateway asks for")
            .option("tls-truststore", "TLS_TRUSTSTORE", null, "<file>",
                    "PKCS#12 or PEM certificates an https gateway is trusted by (default: the JDK's authorities)")
            .secret("tls-truststore-password", "TLS_TRUSTSTORE_PASSWORD", "<password>",
                    "password of the --tls-truststore file, when it has one")
            .option("seed", "SENDER_SEED", null, "<n>", "seed for devices and values (repeatable runs); random when unset")
            .option("run-id", "SENDER_RUN_ID", null, "<id>", "prefix of the measurement ids (<id>-1, <id>-2, ...); random when unset")
            .option("progress", "SENDER_PROGRESS", "auto", "auto|bar|lines|none",
                    "progress on stderr: a bar on a terminal, a line every 2 s otherwise")
            .flag("json", "SENDER_JSON", "print the closing summary as one JSON object instead of text")
            .flag("serve", "SENDER_SERVE", "serve the sender's web page instead of sending once")
            .option("port", "PORT", "8082", "<port>", "port of the page (--serve)")
            .option("bind", "BIND", "127.0.0.1", "<address>", "address of the page (--serve)")
            .include(ServerAccess::options)
            .build();

    /** Reads every option; an {@code OptionException} names the first bad one. */
    public static SenderOptions from(OptionValues v) {
        int retries = v.integer("retries", 0, 1_000);
        var backoff = v.duration("backoff", Duration.ofMillis(1), Duration.ofMinutes(10));
        var maxBackoff = v.duration("max-backoff", Duration.ofMillis(1), Duration.ofMinutes(10));
        var retry = v.convert("max-backoff", ignored -> new RetryPolicy(retries, backoff, maxBackoff));
        var config = SenderConfig.builder()
                .gateway(v.uri("gateway", "http", "https"))
                .count(v.integer("count", 0, SenderConfig.MAX_COUNT))
                .devices(v.integer("devices", 1, 100_000))
                .concurrency(v.integer("concurrency", 1, 10_000))
                .batch(v.integer("batch", 1, 10_000))
                .rate(v.convert("rate", SenderOptions::rate))
                .retry(retry)
                .requestTimeout(v.duration("timeout", Duration.ofMillis(1), Duration.ofHours(1)))
                .token(v.optional("token").map(t -> v.convert("token", SenderConfig::checkToken)).orElse(null))
                .seed(v.optional("seed").map(s -> v.longValue("seed", Long.MIN_VALUE, Long.MAX_VALUE)).orElse(null))
                .runId(v.optional("run-id").map(id -> v.convert("run-id", SenderConfig::checkRunId)).orElse(null))
                .trust(trust(v));
        boolean serve = v.bool("serve");
        var bind = v.inetAddress("bind");
        var access = ServerAccess.from(v);
        if (serve) {
            access.requireProtection(bind, false, "the page has no token of its own: keep --bind on loopback (the default)"
                    + " and reach it through an SSH tunnel");
        }
        return new SenderOptions(config.build(), serve, bind, v.integer("port", 0, 65_535),
                v.enumValue("progress", ConsoleProgress.Mode.class), v.bool("json"), access);
    }

    private static SSLContext trust(OptionValues v) {
        if (!v.isSet("tls-truststore")) {
            return null;
        }
        var password = v.optional("tls-truststore-password").map(String::toCharArray).orElse(null);
        return v.convert("tls-truststore", file -> ClientTls.trusting(Path.of(file.strip()), password));
    }

    private static double rate(String s) {
        double r;
        try {
            r = Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number");
        }
        if (!(r >= 0) || Double.isInfinite(r)) {
            throw new IllegalArgumentException("must be a number >= 0");
        }
        return r;
    }
}
