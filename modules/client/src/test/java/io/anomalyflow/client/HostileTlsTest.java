package io.anomalyflow.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.anomalyflow.flow.nats.NatsConnections;
import io.anomalyflow.testsupport.AppProcess;
import io.anomalyflow.testsupport.ModulePathLaunch;
import io.anomalyflow.testsupport.NatsServerExtension;
import io.anomalyflow.testsupport.TestCerts;
import io.anomalyflow.testsupport.TestNats;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile TLS against the client started as a user starts it (its own JVM, through {@code ClientMain},
 * so with the request-time limit its main sets): handshakes that never start, stall half-way or
 * send garbage cost nobody else, a second client is served while they hang, and the server drops
 * each of them by itself within bounded time, so none holds a thread for good. And SSE streams over
 * HTTPS that are opened and never read: their writers block on full sockets while everybody else is
 * served, and once those readers close (or reset), every stream's handler ends and its slot is free.
 */
class HostileTlsTest {
    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();
    private static final String TOKEN = "tls-h0stile";
    private static final String STREAM = "HOSTILE_TLS";
    private static final String SUBJECT = "hostile-tls";
    private static final int NEVER_READ = 12;
    /** Enough to fill each never-read reader's socket buffers (about 2 MB of events) and its 1 000 in the client. */
    private static final int ANOMALIES = 30_000;
    /** ClientMain's request-time limit is 10 s; the JDK's idle sweep adds its own period on top. */
    private static final Duration DROPPED_WITHIN = Duration.ofSeconds(90);
    @TempDir
    static Path dir;
    private static TestCerts certs;
    private static Process client;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        certs = TestCerts.create(dir);
        try (var nats = TestNats.connect(NatsConnections.options(NATS.server().url(), "hostile-tls-setup"))) {
            nats.createStream(STREAM, SUBJECT);
        }
        port = AppProcess.freePort();
        client = ModulePathLaunch.start(dir.resolve("client.log"), "io.anomalyflow.client", "io.anomalyflow.client.ClientMain",
                "--nats", NATS.server().url(), "--port", Integer.toString(port), "--stream", STREAM, "--subject", SUBJECT,
                "--tls-keystore", certs.keystore().toString(), "--tls-password", certs.password(), "--token", TOKEN);
        try (var http = trusting()) {
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> get(http, "/health").statusCode() > 0);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        client.destroy();
        if (!client.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
            client.destroyForcibly();
        }
    }

    private static HttpClient trusting() throws Exception {
        return HttpClient.newBuilder().sslContext(certs.clientContext()).connectTimeout(Duration.ofSeconds(10)).build();
    }

    private static HttpResponse<String> get(HttpClient http, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void stalledAndGarbageHandshakesBlockNobodyAndAreDroppedByTheServer() throws Exception {
        var hostile = new ArrayList<Socket>();
        var ends = new ArrayList<CompletableFuture<Duration>>();
        try {
            long started = System.nanoTime();
            for (int i = 0; i < 30; i++) {
                var s = new Socket(InetAddress.getLoopbackAddress(), port);
                s.setSoTimeout((int) DROPPED_WITHIN.toMillis());
                switch (i % 3) {
                    case 0 -> { } // connects and never says hello
                    case 1 -> s.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00}); // half a ClientHello
                    default -> s.getOutputStream().write("GET /anomalies HTTP/1.1\r\nHost: x\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII)); // plain HTTP on the TLS port
                }
                hostile.add(s);
                ends.add(CompletableFuture.supplyAsync(() -> untilClosed(s, started), Thread::startVirtualThread));
            }
            // a second client while all of them hang: served at once, again and again
            try (var http = trusting()) {
                for (int i = 0; i < 5; i++) {
                    var r = get(http, "/anomalies");
                    assertThat(r.statusCode()).isEqualTo(200);
                    assertThat(r.body()).startsWith("[");
                }
            }
            var times = new ArrayList<Long>();
            for (var end : ends) {
                var d = end.get();
                assertThat(d).as("the server drops a hostile connection by itself").isLessThan(DROPPED_WITHIN);
                times.add(d.toMillis());
            }
            System.out.printf("30 hostile TLS connections (silent, half a hello, plain HTTP) dropped by the client after"
                    + " %d..%d ms%n", times.stream().mapToLong(Long::longValue).min().orElseThrow(),
                    times.stream().mapToLong(Long::longValue).max().orElseThrow());
        } finally {
            for (var s : hostile) {
                s.close();
            }
        }
        try (var http = trusting()) {
            assertThat(get(http, "/anomalies").statusCode()).isEqualTo(200);
        }
        assertThat(Files.readString(dir.resolve("client.log"))).doesNotContain(TOKEN).doesNotContain(certs.password());
    }

    @Test
    void streamsOverHttpsThatAreNeverReadHoldNobodyAndEndOnceClosed() throws Exception {
        var stuck = new ArrayList<SSLSocket>();
        try (var http = trusting()) {
            await().atMost(Duration.ofSeconds(60)).until(() -> get(http, "/health").statusCode() == 200);
            try {
                for (int i = 0; i < NEVER_READ; i++) {
                    stuck.add(openStreamAndNeverRead());
                }
                assertThat(sseReaders(http)).as("streams open").isEqualTo(NEVER_READ);
                var bodies = new ArrayList<byte[]>();
                for (int i = 0; i < ANOMALIES; i++) {
                    bodies.add(("{\"deviceId\":\"" + i % 10 + "\",\"measurementValue\":" + i % 20 + "}").getBytes(StandardCharsets.UTF_8));
                }
                try (var nats = TestNats.connect(NatsConnections.options(NATS.server().url(), "hostile-tls-load"))) {
                    nats.publishAll(SUBJECT, bodies, 1_000);
                    // the client read them all, and the stuck readers' buffers overflowed: their writers are blocked
                    await().atMost(Duration.ofSeconds(60)).until(() -> metric(http, "anomalyflow_client_anomalies_total") >= ANOMALIES
                            && metric(http, "anomalyflow_client_sse_dropped_total") > 0);
                    // meanwhile everybody else is served, a live reader included
                    assertThat(get(http, "/health").statusCode()).isEqualTo(200);
                    assertThat(get(http, "/anomalies?limit=5").statusCode()).isEqualTo(200);
                    var live = http.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/anomalies/stream?deviceId=7"))
                            .header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(30))
                            .header("Last-Event-ID", Long.toString(ANOMALIES)).build(), HttpResponse.BodyHandlers.ofLines());
                    assertThat(live.statusCode()).isEqualTo(200);
                    nats.publishAll(SUBJECT, List.of("{\"deviceId\":\"7\",\"measurementValue\":1.5}".getBytes(StandardCharsets.UTF_8)), 1);
                    try (var lines = live.body()) {
                        assertThat(lines.filter(l -> l.startsWith("data:")).findFirst().orElseThrow()).contains("1.5");
                    }
                }
            } finally {
                for (int i = 0; i < stuck.size(); i++) {
                    if (i % 2 == 0) {
                        stuck.get(i).setSoLinger(true, 0); // a reset rather than an orderly close
                    }
                    stuck.get(i).close();
                }
            }
            // every handler ends (the gauge counts running handlers), each slot is free again
            long closed = System.nanoTime();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> sseReaders(http) == 0);
            System.out.printf("%d never-read HTTPS streams: %.0f anomalies dropped for them; every handler ended %d ms after"
                    + " they closed%n", NEVER_READ, metric(http, "anomalyflow_client_sse_dropped_total"),
                    (System.nanoTime() - closed) / 1_000_000);
            assertThat(get(http, "/health").statusCode()).isEqualTo(200);
            var again = openStreamAndNeverRead();
            again.close();
        }
        assertThat(Files.readString(dir.resolve("client.log"))).doesNotContain("handler failed");
    }

    /** An SSE request over TLS on a socket with a small receive window; the status line is read, then nothing. */
    private static SSLSocket openStreamAndNeverRead() throws Exception {
        var s = (SSLSocket) certs.clientContext().getSocketFactory().createSocket();
        s.setReceiveBufferSize(4096); // before connecting, so the window stays small
        s.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
        s.setSoTimeout(30_000);
        s.startHandshake();
        s.getOutputStream().write(("GET /anomalies/stream HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n"
                + "Authorization: Bearer " + TOKEN + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        var status = new StringBuilder();
        var in = s.getInputStream();
        for (int c; (c = in.read()) != -1 && c != '\n'; ) {
            status.append((char) c);
        }
        if (!status.toString().startsWith("HTTP/1.1 200")) {
            s.close();
            throw new AssertionError("SSE over TLS answered: " + status);
        }
        return s;
    }

    private static double sseReaders(HttpClient http) throws Exception {
        return metric(http, "anomalyflow_client_sse_readers");
    }

    /** One sample of a Prometheus metric on {@code /metrics} (the metrics token defaults to the read token). */
    private static double metric(HttpClient http, String name) throws Exception {
        var r = get(http, "/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body().lines().filter(l -> l.startsWith(name + " ")).mapToDouble(l -> Double.parseDouble(l.substring(name.length() + 1)))
                .findFirst().orElseThrow(() -> new AssertionError("no " + name + " in /metrics"));
    }

    /** How long until the server closed {@code s} (end of stream, a reset, or a TLS alert and then the end). */
    private static Duration untilClosed(Socket s, long startNanos) {
        try {
            InputStream in = s.getInputStream();
            var buf = new byte[512];
            while (in.read(buf) >= 0) {
                // an alert or an error page: read on to the end of the connection
            }
        } catch (IOException e) {
            // a reset, or our own read timeout: both end the wait; the elapsed time tells which
        }
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
