package io.anomalyflow.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.anomalyflow.testsupport.SseReader;
import io.anomalyflow.events.Anomaly;
import io.anomalyflow.events.AnomalyRule;
import io.anomalyflow.testsupport.AppProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The system under test for one fault case: a gateway and a client, each a real process
 * ({@link AppProcess}) on its own free loopback port, both pointed at the given NATS URL(s) and the
 * stream {@value #STREAM}. The test owns NATS (a {@code NatsServer} or a {@code NatsCluster}), because
 * NATS is what most cases break.
 *
 * <p>It ends every case the same way, with {@link #settleAndCheck}: read the stream back with our
 * own consumer, wait (bounded) until the client shows what the stream implies, and hold the ledger
 * against both. {@link #close()} stops both apps and every SSE reader it opened.
 */
final class Rig implements AutoCloseable {
    static final String STREAM = "MEASUREMENTS";
    static final AnomalyRule RULE = AnomalyRule.DEFAULT;
    static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(60);

    final String natsUrl;
    final AppProcess gateway;
    final AppProcess client;
    final URI gatewayUrl;
    final URI clientUrl;
    final HttpClient http;
    final long baseline;
    private final List<SseReader> readers = new ArrayList<>();
    private final int devices;
    private final int mapLimit;

    private Rig(String natsUrl, AppProcess gateway, URI gatewayUrl, AppProcess client, URI clientUrl, HttpClient http,
                long baseline, int devices, int mapLimit) {
        this.natsUrl = natsUrl;
        this.gateway = gateway;
        this.gatewayUrl = gatewayUrl;
        this.client = client;
        this.clientUrl = clientUrl;
        this.http = http;
        this.baseline = baseline;
        this.devices = devices;
        this.mapLimit = mapLimit;
    }

    /**
     * Starts the gateway (which creates the stream) and then the client, and waits until both say
     * {@code /health} 200. Each app gets {@code --nats}, {@code --port} and the extra arguments given;
     * the client also {@code --ttl 1h}, so nothing expires during a run and "within TTL" is "all".
     * A {@code --max-anomalies} among the client's arguments bounds what the checks expect in its map.
     */
    static Rig start(String natsUrl, Path logs, List<String> gatewayArgs, List<String> clientJvm, List<String> clientArgs)
            throws Exception {
        var http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2))
                .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
        AppProcess gateway = null;
        try {
            int gatewayPort = AppProcess.freePort();
            var gArgs = new ArrayList<>(List.of("--nats", natsUrl, "--port", Integer.toString(gatewayPort)));
            gArgs.addAll(gatewayArgs);
            gateway = AppProcess.start("gateway", logs, List.of(), gArgs);
            var gatewayUrl = URI.create("http://127.0.0.1:" + gatewayPort);
            gateway.awaitHttp(gatewayUrl.resolve("/health"), START_TIMEOUT);
            long baseline = StreamReadback.lastSeq(natsUrl, STREAM);

            int clientPort = AppProcess.freePort();
            var cArgs = new ArrayList<>(List.of("--nats", natsUrl, "--port", Integer.toString(clientPort), "--ttl", "1h"));
            cArgs.addAll(clientArgs);
            var client = AppProcess.start("client", logs, clientJvm, cArgs);
            var clientUrl = URI.create("http://127.0.0.1:" + clientPort);
            try {
                client.awaitHttp(clientUrl.resolve("/health"), START_TIMEOUT);
            } catch (AssertionError | InterruptedException e) {
                client.close();
                throw e;
            }
            int mapLimit = clientArgs.contains("--max-anomalies")
                    ? Integer.parseInt(clientArgs.get(clientArgs.indexOf("--max-anomalies") + 1)) : 100_000;
            return new Rig(natsUrl, gateway, gatewayUrl, client, clientUrl, http, baseline, 10, mapLimit);
        } catch (Exception | AssertionError e) {
            if (gateway != null) {
                gateway.close();
            }
            http.shutdownNow();
            throw e;
        }
    }

    /** Opens an SSE reader on the client's {@code /anomalies/stream}; closed with the rig. */
    SseReader openReader() throws IOException, InterruptedException {
        var r = SseReader.reconnecting(clientUrl.resolve("/anomalies/stream"));
        readers.add(r);
        return r;
    }

    /** Starts load on the gateway, ids prefixed {@code idPrefix}, recorded in {@code ledger}. */
    LoadDriver load(Ledger ledger, String idPrefix, LoadDriver.Settings settings) {
        return LoadDriver.start(gatewayUrl, ledger, idPrefix, settings);
    }

    /** Everything the stream holds after this rig's baseline. */
    List<StoredMessage> stream() throws Exception {
        return StreamReadback.readAfter(natsUrl, STREAM, baseline);
    }

    /**
     * The end of every case: reads the stream back, waits (bounded) until the client shows exactly the
     * anomalies the stream implies, then checks the ledger against both. Returns the verdict; the
     * caller asserts it clean (and anything else the case promises).
     */
    Verdict settleAndCheck(Ledger ledger) throws Exception {
        var stream = stream();
        var expected = LedgerCheck.newest(LedgerCheck.expectedAnomalies(stream, RULE), mapLimit);
        var shown = awaitClientShows(expected);
        return LedgerCheck.check(ledger, stream, shown, RULE, mapLimit);
    }

    /** Polls the client's list until it equals {@code expected} or the settle timeout passes; returns the last list. */
    Map<Long, Anomaly> awaitClientShows(Map<Long, Anomaly> expected) throws Exception {
        long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
        Map<Long, Anomaly> shown;
        do {
            shown = Probes.anomalies(http, clientUrl, devices);
            if (shown.equals(expected)) {
                return shown;
            }
            Thread.sleep(250);
        } while (System.nanoTime() < deadline);
        return shown;
    }

    /**
     * Asserts that {@code reader} got exactly {@code expected}: each anomaly once, in seq order, with the
     * same content, over all its connections. Waits (bounded) for the last ones to arrive.
     */
    static void assertReaderSawExactly(SseReader reader, Map<Long, Anomaly> expected) throws InterruptedException {
        long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
        while (reader.events().size() < expected.size() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(reader.disorder()).as("SSE ids that did not increase (duplicates or reordering)").isEmpty();
        assertThat(reader.ids()).as("SSE ids over %d connection(s)", reader.connections())
                .containsExactlyElementsOf(expected.keySet());
        for (var e : reader.events()) {
            assertThat(Probes.anomaly(e)).as("SSE event %d", e.id()).isEqualTo(expected.get(e.id()));
        }
    }

    /** What a case does, in {@link #explainFailures}. */
    @FunctionalInterface
    interface Body {
        void run() throws Exception;
    }

    /**
     * Runs {@code body}; when it fails, the failure carries the tail of each app's log and of
     * {@code natsLog} (a suppressed exception), since a fault case that fails is read from the logs.
     */
    void explainFailures(Supplier<String> natsLog, Body body) throws Exception {
        withLogs(() -> logs() + "\n===== nats =====\n" + natsLog.get(), body);
    }

    /** Runs {@code body}; when it fails, the failure carries {@code logs} (a suppressed exception). */
    static void withLogs(Supplier<String> logs, Body body) throws Exception {
        try {
            body.run();
        } catch (Exception | Error e) {
            e.addSuppressed(new AssertionError("logs:" + logs.get()));
            throw e;
        }
    }

    /** {@link #explainFailures(Supplier, Body)} without the NATS log. */
    void explainFailures(Body body) throws Exception {
        explainFailures(() -> "(not shown)", body);
    }

    /** The logs of both apps, for a failure message. */
    String logs() {
        return "\n===== gateway =====\n" + gateway.log() + "\n===== client =====\n" + client.log();
    }

    @Override
    public void close() {
        for (var r : readers) {
            try {
                r.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        client.close();
        gateway.close();
        http.shutdownNow(); // never wait for an exchange a failed case left hanging
    }
}
