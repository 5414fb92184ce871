package io.anomalyflow.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.anomalyflow.testsupport.AppProcess;
import io.anomalyflow.testsupport.ModulePathLaunch;
import io.anomalyflow.testsupport.NatsServerExtension;
import io.anomalyflow.testsupport.TestCerts;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile TLS against the client started as a user starts it (its own JVM, through {@code ClientMain},
 * so with the request-time limit its main sets): handshakes that never start, stall half-way or
 * send garbage cost nobody else, a second client is served while they hang, and the server drops
 * each of them by itself within bounded time, so none holds a thread for good.
 */
class HostileTlsTest {
    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();
    private static final String TOKEN = "tls-h0stile";
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
        port = AppProcess.freePort();
        client = ModulePathLaunch.start(dir.resolve("client.log"), "io.anomalyflow.client", "io.anomalyflow.client.ClientMain",
                "--nats", NATS.server().url(), "--port", Integer.toString(port), "--stream", "HOSTILE_TLS",
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
