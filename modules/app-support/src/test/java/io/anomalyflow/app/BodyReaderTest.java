package io.anomalyflow.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import io.anomalyflow.testsupport.RawHttp;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Size and time limits on request bodies, seen from a raw socket. Two readers with the same limit:
 * {@code /echo}'s deadline is long, so that a test about sizes or framing cannot be cut short by a
 * loaded machine; {@code /short}'s is 800 ms, for the tests about the deadline itself.
 */
class BodyReaderTest {
    private static final int LIMIT = 1024;

    private final AtomicInteger timeouts = new AtomicInteger();
    private final List<Integer> statuses = new CopyOnWriteArrayList<>();
    private final List<BodyReader.Body> results = new CopyOnWriteArrayList<>();
    private final BodyReader patient = BodyReader.create(LIMIT, Duration.ofSeconds(30));
    private final BodyReader reader = BodyReader.create(LIMIT, Duration.ofMillis(800));
    private Router router;
    private WebServer server;

    @BeforeEach
    void start() throws IOException {
        router = Router.builder().post("/echo", ex -> echo(patient, ex)).post("/short", ex -> echo(reader, ex))
                .onStatus(statuses::add).build();
        server = WebServer.start(InetAddress.getLoopbackAddress(), 0, router, Duration.ofSeconds(2));
    }

    private void echo(BodyReader with, HttpExchange ex) throws IOException {
        var body = with.read(ex, timeouts::incrementAndGet);
        results.add(body);
        switch (body) {
            case BodyReader.Body.Complete c -> Responses.json(ex, 200, "{\"bytes\":" + c.bytes().length + "}");
            case BodyReader.Body.TooLarge t -> with.reject(ex, 413, "body over " + t.limit() + " bytes");
            case BodyReader.Body.Unreadable u -> with.reject(ex, 400, "unreadable body: " + u.reason());
            case BodyReader.Body.TimedOut t -> { }
        }
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void readsAFixedLengthBodyAndKeepsTheConnectionForTheNextRequest() throws IOException {
        try (var raw = RawHttp.connect(server.port())) {
            for (int i = 0; i < 2; i++) {
                raw.send(RawHttp.head("POST", "/echo", "Content-Length: 5") + "hello");
                var r = raw.read();
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.body()).isEqualTo("{\"bytes\":5}");
            }
        }
    }

    @Test
    void readsAChunkedBodyUpToTheLimitExactly() throws IOException {
        try (var raw = RawHttp.connect(server.port())) {
            var chunk = "x".repeat(LIMIT / 2);
            raw.send(RawHttp.head("POST", "/echo", "Transfer-Encoding: chunked")
                    + Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n"
                    + Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n0\r\n\r\n");
            assertThat(raw.read().body()).isEqualTo("{\"bytes\":" + LIMIT + "}");
        }
    }

    @Test
    void aDeclaredOversizedBodyGets413ThatTheSenderCanReadAndNoReset() throws IOException {
        try (var raw = RawHttp.connect(server.port())) {
            var body = new byte[2 << 20]; // 2 MiB against a 1 KiB limit
            raw.send(RawHttp.head("POST", "/echo", "Content-Length: " + body.length));
            raw.send(body); // completes only because the server keeps reading after its reply
            var r = raw.read();
            assertThat(r.status()).isEqualTo(413);
            assertThat(r.body()).isEqualTo("{\"error\":\"body over 1024 bytes\"}");
            assertThat(r.header("Connection")).isEqualTo("close");
            assertThat(raw.awaitEnd(10_000)).isEqualTo("closed");
        }
        assertThat(results).singleElement().isEqualTo(new BodyReader.Body.TooLarge(LIMIT, 2 << 20));
    }

    @Test
    void anUndeclaredOversizedChunkedBodyGets413() throws IOException {
        try (var raw = RawHttp.connect(server.port())) {
            var chunk = "y".repeat(700);
            var sb = new StringBuilder(RawHttp.head("POST", "/echo", "Transfer-Encoding: chunked"));
            for (int i = 0; i < 100; i++) {
                sb.append(Integer.toHexString(chunk.length())).append("\r\n").append(chunk).append("\r\n");
            }
            raw.send(sb.append("0\r\n\r\n").toString());
            assertThat(raw.read().status()).isEqualTo(413);
            assertThat(raw.awaitEnd(10_000)).isEqualTo("closed");
        }
        assertThat(results).singleElement().isEqualTo(new BodyReader.Body.TooLarge(LIMIT, -1));
    }

    @Test
    void aBodyThatStopsComingGets408AndTheConnectionIsClosed() throws IOException {
        try (var raw = RawHttp.connect(server.port())) {
            raw.send(RawHttp.head("POST", "/short", "Content-Length: 100") + "only a part");
            var r = raw.read(); // RawHttp gives up after 20 s: a hang fails the test
            assertThat(r.status()).isEqualTo(408);
            assertThat(r.body()).isEqualTo("{\"error\":\"request body not received in full within 800ms\"}");
            assertThat(r.header("Connection")).isEqualTo("close");
            assertThat(raw.awaitEnd(10_000)).isEqualTo("closed");
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(timeouts).hasValue(1);
            assertThat(results).singleElement().isInstanceOf(BodyReader.Body.TimedOut.class);
        });
        assertThat(statuses).containsExactly(408);
    }

    @Test
    void aSlowDripThatNeverEndsIsCutAtTheDeadline() throws Exception {
        try (var raw = RawHttp.connect(server.port())) {
            raw.send(RawHttp.head("POST", "/short", "Content-Length: 1000"));
            // one byte every 100 ms: always "active", never complete within the deadline
            var dripper = Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 0; i < 200; i++) {
                        raw.send("z");
                        Thread.sleep(100);
                    }
                } catch (IOException | InterruptedException endedByServer) {
                    // expected: the server closed the connection
                }
            });
            assertThat(raw.read().status()).isEqualTo(408);
            dripper.join(Duration.ofSeconds(20));
            assertThat(dripper.isAlive()).as("the server ended the connection, so the dripper stopped").isFalse();
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(timeouts).hasValue(1));
    }

    @Test
    void aBrokenChunkedEncodingIsUnreadable() throws IOException {
        try (var raw = RawHttp.connect(server.port())) {
            raw.send(RawHttp.head("POST", "/echo", "Transfer-Encoding: chunked") + "zz\r\nabc\r\n0\r\n\r\n");
            var r = raw.read();
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.body()).startsWith("{\"error\":\"unreadable body: ");
        }
    }

    /**
     * A server whose stop waits up to 20 s for exchanges in flight: if the timed-out exchange were
     * still counted as in flight, {@code close()} would take the whole 20 s; accounted as finished,
     * it takes milliseconds. The bound in between (10 s) leaves a loaded machine seconds of slack
     * on both sides, where a 2 s grace against a 1.9 s bound left it 100 ms.
     */
    @Test
    void theServerStopsPromptlyAfterATimedOutExchange() throws IOException {
        var grace = Duration.ofSeconds(20);
        try (var longGrace = WebServer.start(InetAddress.getLoopbackAddress(), 0, router, grace)) {
            try (var raw = RawHttp.connect(longGrace.port())) {
                raw.send(RawHttp.head("POST", "/short", "Content-Length: 10") + "abc");
                assertThat(raw.read().status()).isEqualTo(408);
            }
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(results).hasSize(1));
            long start = System.nanoTime();
            longGrace.close();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("close() did not wait out the grace")
                    .isLessThan(grace.dividedBy(2));
        }
    }

    @Test
    void discardReportsWhetherTheEndWasReached() throws IOException {
        var data = "0123456789".getBytes(StandardCharsets.US_ASCII);
        assertThat(BodyReader.discard(new java.io.ByteArrayInputStream(data), 10)).isTrue();
        assertThat(BodyReader.discard(new java.io.ByteArrayInputStream(data), 9)).isFalse();
    }
}
