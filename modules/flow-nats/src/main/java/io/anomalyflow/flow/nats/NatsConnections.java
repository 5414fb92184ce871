package io.anomalyflow.flow.nats;

import io.nats.client.Options;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The one place for our NATS connection options, so the gateway, the client and the tests behave alike.
 *
 * <ul>
 *   <li><b>Reconnect forever</b>, every 250 ms (plus jitter): a restarted server is found again within
 *       a second, and a long outage never turns into a dead process.</li>
 *   <li><b>Reconnect buffer off</b>: a publish while disconnected fails at once instead of being queued
 *       and sent minutes later, when the caller has long been told "503, not stored" and may have retried.</li>
 *   <li><b>Ping every 5 s, two missed pongs close the socket</b>: a hung server (SIGSTOP, network hole)
 *       is noticed in about 10–15 s instead of the default 4 minutes.</li>
 *   <li>Connect timeout 2 s.</li>
 * </ul>
 * The client's own executors are kept: they are per connection and shut down with it, whereas a
 * virtual-thread executor passed in would be ours to close.
 */
public final class NatsConnections {
    public static final Duration RECONNECT_WAIT = Duration.ofMillis(250);
    public static final Duration RECONNECT_JITTER = Duration.ofMillis(100);
    public static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration PING_INTERVAL = Duration.ofSeconds(5);
    public static final int MAX_PINGS_OUT = 2;
    private static final Pattern USER_INFO = Pattern.compile("://([^:@/,]*)(:[^@/,]*)?@");

    private NatsConnections() {
    }

    /**
     * Options for a connection to {@code url} (for example {@code nats://127.0.0.1:4222}, or several
     * comma-separated URLs of a cluster), named {@code connectionName} in the server's monitoring. Add
     * credentials or TLS to the returned builder as needed, then {@code Nats.connect(builder.build())}.
     */
    public static Options.Builder options(String url, String connectionName) {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(connectionName, "connectionName");
        return new Options.Builder()
                .servers(Arrays.stream(url.split(",")).map(String::trim).toArray(String[]::new))
                .connectionName(connectionName)
                .maxReconnects(-1)
                .reconnectWait(RECONNECT_WAIT)
                .reconnectJitter(RECONNECT_JITTER)
                .connectionTimeout(CONNECTION_TIMEOUT)
                .pingInterval(PING_INTERVAL)
                .maxPingsOut(MAX_PINGS_OUT)
                .reconnectBufferSize(0);
    }

    /** As {@link #options(String, String)}, with {@code auth}'s TLS trust and credentials added. */
    public static Options.Builder options(String url, String connectionName, NatsAuth auth) {
        return Objects.requireNonNull(auth, "auth").applyTo(options(url, connectionName));
    }

    /** {@code url} (or a comma-separated list) with any password or token replaced by {@code ***}, for logs and messages. */
    public static String redact(String url) {
        return USER_INFO.matcher(url).replaceAll(m -> m.group(2) == null ? "://***@" : "://" + m.group(1) + ":***@");
    }
}
