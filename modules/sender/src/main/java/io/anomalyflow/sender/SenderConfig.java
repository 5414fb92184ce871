package io.anomalyflow.sender;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * What one sender run does. Validated on construction (an {@link IllegalArgumentException} names the
 * bad field and value); build it with {@link #builder()}.
 *
 * @param gateway the gateway's base URL ({@code http://127.0.0.1:8081}); measurements go to
 *     {@link #target()}
 * @param count measurements to send in all (0 … 10^9)
 * @param devices device ids are {@code "1"} … {@code "<devices>"}, as in the workshop (1 … 100 000)
 * @param concurrency most requests in flight at once (1 … 10 000)
 * @param batch measurements per request: 1 sends single JSON POSTs, more sends NDJSON (1 … 10 000)
 * @param rate measurements per second, open-loop; 0 = as fast as {@code concurrency} allows
 * @param retry what to do when a request is not acknowledged
 * @param requestTimeout how long one attempt may take before it counts as not acknowledged
 * @param token bearer token for the gateway, or {@code null}
 * @param seed seeds device choice and values (a run is then repeatable but for ids and timestamps),
 *     or {@code null} for a random seed
 * @param runId prefix of the measurement ids ({@code <runId>-<n>}), or {@code null} for a fresh random
 *     one per run; ids must differ between runs, or the gateway would store a re-run as duplicates
 * @param trust the TLS context an {@code https} gateway's certificate is checked with (a
 *     {@code --tls-truststore}), or {@code null} for the JDK's default authorities; host names are
 *     checked either way
 */
public record SenderConfig(URI gateway, int count, int devices, int concurrency, int batch, double rate,
                           RetryPolicy retry, Duration requestTimeout, String token, Long seed, String runId,
                           SSLContext trust) {
    public static final URI DEFAULT_GATEWAY = URI.create("http://127.0.0.1:8081");
    public static final int MAX_COUNT = 1_000_000_000;

    public SenderConfig {
        Objects.requireNonNull(gateway, "gateway");
        if (!("http".equals(gateway.getScheme()) || "https".equals(gateway.getScheme())) || gateway.getHost() == null) {
            throw new IllegalArgumentException("gateway: not an http(s) URL with a host: \"" + gateway + "\"");
        }
        check("count", count, 0, MAX_COUNT);
        check("devices", devices, 1, 100_000);
        check("concurrency", concurrency, 1, 10_000);
        check("batch", batch, 1, 10_000);
        if (!(rate >= 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("rate: must be a number >= 0: " + rate);
        }
        Objects.requireNonNull(retry, "retry");
        if (requestTimeout == null || requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("timeout: must be positive: " + requestTimeout);
        }
        try {
            if (token != null) {
                checkToken(token);
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("token: " + e.getMessage()); // never echo a secret
        }
        if (runId != null) {
            try {
                checkRunId(runId);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("run-id: " + e.getMessage() + " (got \"" + runId + "\")");
            }
        }
    }

    /** A bearer token must fit in a header as is: printable ASCII, no spaces. Returns it. */
    static String checkToken(String token) {
        if (token.isBlank() || !token.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("must be printable ASCII without spaces");
        }
        return token;
    }

    /** A run id must keep {@code <runId>-<n>} a valid measurement id (≤ 64 chars of the id alphabet). Returns it. */
    static String checkRunId(String runId) {
        if (!runId.matches("[A-Za-z0-9_.:-]{1,40}")) {
            throw new IllegalArgumentException("must be 1-40 characters of A-Z a-z 0-9 _ . : -");
        }
        return runId;
    }

    /** Where the POSTs go: {@code <gateway>/measurements}, or the gateway URL itself when it has a path. */
    public URI target() {
        var path = gateway.getRawPath();
        return path == null || path.isEmpty() || path.equals("/") ? gateway.resolve("/measurements") : gateway;
    }

    /** How many requests the run makes: {@code ceil(count / batch)}. */
    public long requests() {
        return (count + (long) batch - 1) / batch;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().gateway(gateway).count(count).devices(devices).concurrency(concurrency).batch(batch)
                .rate(rate).retry(retry).requestTimeout(requestTimeout).token(token).seed(seed).runId(runId).trust(trust);
    }

    private static void check(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + ": must be within " + min + " and " + max + ": " + value);
        }
    }

    /** Defaults as documented in {@code --help}: 10 000 measurements, 10 devices, 32 in flight, single POSTs. */
    public static final class Builder {
        private URI gateway = DEFAULT_GATEWAY;
        private int count = 10_000;
        private int devices = 10;
        private int concurrency = 32;
        private int batch = 1;
        private double rate;
        private RetryPolicy retry = RetryPolicy.DEFAULT;
        private Duration requestTimeout = Duration.ofSeconds(10);
        private String token;
        private Long seed;
        private String runId;
        private SSLContext trust;

        private Builder() {
        }

        public Builder gateway(URI gateway) {
            this.gateway = gateway;
            return this;
        }

        public Builder gateway(String gateway) {
            return gateway(URI.create(gateway));
        }

        public Builder count(int count) {
            this.count = count;
            return this;
        }

        public Builder devices(int devices) {
            this.devices = devices;
            return this;
        }

        public Builder concurrency(int concurrency) {
            this.concurrency = concurrency;
            return this;
        }

        public Builder batch(int batch) {
            this.batch = batch;
            return this;
        }

        public Builder rate(double rate) {
            this.rate = rate;
            return this;
        }

        public Builder retry(RetryPolicy retry) {
            this.retry = retry;
            return this;
        }

        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = requestTimeout;
            return this;
        }

        public Builder token(String token) {
            this.token = token;
            return this;
        }

        public Builder seed(Long seed) {
            this.seed = seed;
            return this;
        }

        public Builder runId(String runId) {
            this.runId = runId;
            return this;
        }

        public Builder trust(SSLContext trust) {
            this.trust = trust;
            return this;
        }

        public SenderConfig build() {
            return new SenderConfig(gateway, count, devices, concurrency, batch, rate, retry, requestTimeout, token, seed,
                    runId, trust);
        }
    }
}
